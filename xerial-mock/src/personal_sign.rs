//! Wallet sign-in: which address signed an EIP-191 `personal_sign` message.
//!
//! Xerial's marketplace asks MetaMask for `personal_sign(nonce, address)` and sends the
//! result to `POST /auth/metamask` (API reference §2.1 item 3). The message MetaMask signs is
//! `keccak256("\x19Ethereum Signed Message:\n" + len(message) + message)`; the signature is
//! 65 bytes `r ‖ s ‖ v` in hex, `v` being 27/28 (wallets) or 0/1 (some libraries). The
//! signer's address is the last 20 bytes of the keccak256 of its uncompressed public key,
//! recovered from the signature (secp256k1, RustCrypto's `k256`). High-`s` signatures are
//! accepted, as ethers' `verifyMessage` accepts them.

use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
use sha3::{Digest, Keccak256};

/// The address (20 bytes) that made `signature` (hex, `0x` optional) over `message`, or
/// `None` when the signature is malformed or recovers no key.
pub fn signer(message: &[u8], signature: &str) -> Option<[u8; 20]> {
    let bytes = hex_decode(signature)?;
    let (rs, v) = match bytes.as_slice() {
        [rs @ .., v] if rs.len() == 64 => (rs, *v),
        _ => return None,
    };
    let parity = match v {
        0 | 27 => false,
        1 | 28 => true,
        _ => return None,
    };
    let signature = Signature::from_slice(rs).ok()?;
    let key = VerifyingKey::recover_from_prehash(
        &prehash(message),
        &signature,
        RecoveryId::new(parity, false),
    )
    .ok()?;
    Some(address_of(&key))
}

/// Whether `signature` over `message` was made by the key of `address` (`0x` + 40 hex
/// digits, any case; a mixed-case checksum is not required).
pub fn is_signed_by(message: &[u8], signature: &str, address: &str) -> bool {
    let claimed = hex_decode(address);
    match (claimed, signer(message, signature)) {
        (Some(claimed), Some(signer)) => claimed == signer,
        _ => false,
    }
}

/// The EIP-191 (version 0x45) hash `personal_sign` signs.
pub fn prehash(message: &[u8]) -> [u8; 32] {
    let mut hasher = Keccak256::new();
    hasher.update(b"\x19Ethereum Signed Message:\n");
    hasher.update(message.len().to_string().as_bytes());
    hasher.update(message);
    hasher.finalize().into()
}

/// The EVM address of a secp256k1 public key.
pub fn address_of(key: &VerifyingKey) -> [u8; 20] {
    let point = key.to_sec1_point(false);
    // Uncompressed SEC1: 0x04 ‖ x ‖ y; the address hashes x ‖ y.
    let hash: [u8; 32] = Keccak256::digest(&point.as_bytes()[1..]).into();
    let mut address = [0u8; 20];
    address.copy_from_slice(&hash[12..]);
    address
}

/// Bytes of a hex string with an optional `0x`; `None` for odd lengths or non-hex digits.
fn hex_decode(s: &str) -> Option<Vec<u8>> {
    let digits = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    if digits.len() % 2 != 0 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// web3.js's documented `accounts.sign("Some data", key)` vector (key
    /// 0x4c0883a6…3f362318, address 0x2c7536E3605D9C16a7a3D7b1898e529396a65c23).
    const ADDRESS: &str = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";
    const SIGNATURE: &str = "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd\
                             6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c";

    #[test]
    fn recovers_a_published_vector() {
        assert!(is_signed_by(b"Some data", SIGNATURE, ADDRESS));
        assert!(is_signed_by(
            b"Some data",
            SIGNATURE,
            &ADDRESS.to_lowercase()
        ));
        assert!(!is_signed_by(b"Other data", SIGNATURE, ADDRESS));
        assert!(!is_signed_by(
            b"Some data",
            SIGNATURE,
            "0x1111111111111111111111111111111111111111"
        ));
    }

    #[test]
    fn v_as_0_or_1_is_the_same_signature() {
        // v = 0x1c (28) is parity 1.
        let with_parity_bit = format!("{}01", &SIGNATURE[..SIGNATURE.len() - 2]);
        assert!(is_signed_by(b"Some data", &with_parity_bit, ADDRESS));
    }

    #[test]
    fn malformed_signatures_recover_nothing() {
        for bad in ["", "0x", "0xok", "0x1c", &SIGNATURE[..SIGNATURE.len() - 1]] {
            assert_eq!(signer(b"Some data", bad), None, "{bad:?}");
        }
        let bad_v = format!("{}1d", &SIGNATURE[..SIGNATURE.len() - 2]);
        assert_eq!(signer(b"Some data", &bad_v), None);
        let zero_r = format!("0x{}1c", "0".repeat(128));
        assert_eq!(signer(b"Some data", &zero_r), None);
    }
}

//! Structs the caller sizes (`XerialConfig`, `XerialSignInOptions`): they only grow, by
//! appended fields whose zero value is their default, and the caller says in `struct_size` how
//! many bytes it has. The library reads only those bytes, and a struct from a newer header must
//! leave every field the library does not know at zero (the rule of Linux's extensible syscall
//! structs, `openat2`/`clone3`): a setting the library cannot honour is refused, never dropped.

use std::mem::size_of;

use super::types::XERIAL_ABI_VERSION;
use crate::client::Error;

/// Largest `struct_size` taken from a newer header (fields this library does not know, all
/// zero). A bound, so that an uninitialised `struct_size` is refused instead of read past.
pub(crate) const MAX_SIZE: usize = 4096;

/// A struct whose first field is `struct_size: u32`.
pub(crate) trait CallerSized: Copy {
    /// The name callers know it by.
    const NAME: &'static str;
    /// How to get one right, for the error message.
    const HINT: &'static str;
    /// Sizes that end exactly after a field this library knows (older headers, this one).
    const KNOWN_ENDS: &'static [usize];
}

/// Whether `size` can be the size of a caller's `T`: the end of a field this library knows, or
/// a bounded, 8-byte-aligned size from a newer header.
pub(crate) fn is_layout_size<T: CallerSized>(size: usize) -> bool {
    T::KNOWN_ENDS.contains(&size) || (size > size_of::<T>() && size <= MAX_SIZE && size % 8 == 0)
}

/// Copies the caller's struct into `out` (which holds the defaults of fields the caller lacks).
///
/// # Safety
/// `from` is non-NULL and points to at least `from->struct_size` readable bytes.
pub(crate) unsafe fn read_into<T: CallerSized>(from: *const T, out: &mut T) -> Result<(), Error> {
    // SAFETY: the caller's struct has at least the `struct_size` field, its first.
    let size = unsafe { from.cast::<u32>().read_unaligned() } as usize;
    if !is_layout_size::<T>(size) {
        return Err(Error::invalid_argument(
            "struct_size",
            &format!("{size} is not the size of an {} ({})", T::NAME, T::HINT),
        ));
    }
    let known = size.min(size_of::<T>());
    // SAFETY: the caller promises `size` readable bytes; `known` of them fit in `out`.
    unsafe {
        std::ptr::copy_nonoverlapping(from.cast::<u8>(), (out as *mut T).cast::<u8>(), known)
    };
    // SAFETY: as above, bytes `known..size` are the caller's.
    let unknown = unsafe { std::slice::from_raw_parts(from.cast::<u8>().add(known), size - known) };
    if unknown.iter().any(|&byte| byte != 0) {
        return Err(Error::invalid_argument(
            "struct_size",
            &format!(
                "the {} ({size} bytes) sets a field this library (ABI 1.{}, {known} bytes) does not know: use a newer library",
                T::NAME,
                XERIAL_ABI_VERSION & 0xffff
            ),
        ));
    }
    Ok(())
}

/// Reads a table of host callbacks (`XerialTransport`, `XerialSessionStore`: `struct_size`
/// first): at least this library's struct, at most `MAX_SIZE` bytes, and every byte past the
/// fields this library knows zero. `field` names the config field it came from.
///
/// # Safety
/// `table` is non-NULL and points to at least `table->struct_size` readable bytes.
pub(crate) unsafe fn read_table<T: Copy>(
    table: *const T,
    field: &str,
    name: &str,
) -> Result<T, Error> {
    // SAFETY: as the caller promises.
    unsafe { read_table_bytes(table) }.map_err(|fault| match fault {
        TableFault::Size(size) => Error::invalid_argument(
            field,
            &format!("struct_size {size} is not the size of an {name} (set it to sizeof({name}))"),
        ),
        TableFault::NewerField => Error::invalid_argument(
            field,
            "it sets a field this library does not know: use a newer library",
        ),
    })
}

/// Why a table of host callbacks was refused.
pub(crate) enum TableFault {
    /// Its `struct_size`: under this library's struct, or over `MAX_SIZE`.
    Size(usize),
    /// A byte past the fields this library knows is not zero.
    NewerField,
}

/// `read_table` without an error message: it allocates nothing (`xerial_set_allocator` reads
/// its table before the library's heap is chosen).
///
/// # Safety
/// As `read_table`.
pub(crate) unsafe fn read_table_bytes<T: Copy>(table: *const T) -> Result<T, TableFault> {
    // SAFETY: the table has at least its `struct_size` field, its first.
    let size = unsafe { table.cast::<u32>().read_unaligned() } as usize;
    let known = size_of::<T>();
    if size < known || size > MAX_SIZE {
        return Err(TableFault::Size(size));
    }
    // SAFETY: `size` readable bytes, of which the first `known` are this library's struct;
    // unaligned reads never form a reference to the caller's memory.
    let (read, newer) = unsafe {
        (
            table.read_unaligned(),
            std::slice::from_raw_parts(table.cast::<u8>().add(known), size - known),
        )
    };
    if newer.iter().any(|&byte| byte != 0) {
        return Err(TableFault::NewerField);
    }
    Ok(read)
}

// XerialSignIn.cpp - see XerialSignIn.h; also UXerialSubsystem's sign-in calls.
#include "XerialSignIn.h"

#include "HAL/PlatformProcess.h"
#include "XerialCall.h"
#include "XerialSettings.h"
#include "XerialSubsystem.h"

XerialRequestId FXerialSignIn::Start(int32 Method, XerialCallback Callback, void* UserData)
{
	const UXerialSettings* Settings = GetDefault<UXerialSettings>();
	const bool bGoogle = Method == XERIAL_SIGNIN_GOOGLE;
	// The UTF-8 copies live until xerial_signin_start returns; it copies them.
	const FXerialUtf8 ClientId(bGoogle ? Settings->GoogleClientId : FString());
	const FXerialUtf8 ClientSecret(bGoogle ? Settings->GoogleClientSecret : FString());
	const FXerialUtf8 RedirectUri(bGoogle ? Settings->GoogleRedirectUri : FString());

	XerialSignInOptions Options = {};
	Options.struct_size = sizeof Options;
	Options.method = Method;
	Options.client_id = ClientId.GetOrNull();
	Options.client_secret = ClientSecret.GetOrNull();
	Options.redirect_uri = RedirectUri.GetOrNull();
	Options.timeout_ms = static_cast<uint64_t>(FMath::Max(0, Settings->SignInTimeoutSeconds)) * 1000u;
	Options.open_url = &FXerialSignIn::OpenUrl;
	Options.open_url_user_data = nullptr;
	return xerial_signin_start(&Options, Callback, UserData);
}

void FXerialSignIn::OpenUrl(void* /*UserData*/, const char* Url)
{
	FString Error;
	FPlatformProcess::LaunchURL(UTF8_TO_TCHAR(Url), nullptr, &Error);
	if (!Error.IsEmpty())
	{
		UE_LOG(LogXerial, Error, TEXT("Could not open the browser to sign in: %s"), *Error);
	}
}

UXerialSignInWithGoogleAction* UXerialSignInWithGoogleAction::XerialSignInWithGoogle(const UObject* WorldContextObject)
{
	return CreateAction<UXerialSignInWithGoogleAction>(WorldContextObject);
}

XerialRequestId UXerialSignInWithGoogleAction::StartCall(XerialCallback Callback, void* UserData)
{
	return FXerialSignIn::Start(XERIAL_SIGNIN_GOOGLE, Callback, UserData);
}

UXerialSignInWithBrowserWalletAction* UXerialSignInWithBrowserWalletAction::XerialSignInWithBrowserWallet(const UObject* WorldContextObject)
{
	return CreateAction<UXerialSignInWithBrowserWalletAction>(WorldContextObject);
}

XerialRequestId UXerialSignInWithBrowserWalletAction::StartCall(XerialCallback Callback, void* UserData)
{
	return FXerialSignIn::Start(XERIAL_SIGNIN_BROWSER_WALLET, Callback, UserData);
}

uint64 UXerialSubsystem::SignInWithGoogle(FXerialOnResult&& OnResult)
{
	return FXerialCall::Start(
		[](XerialCallback Callback, void* UserData) { return FXerialSignIn::Start(XERIAL_SIGNIN_GOOGLE, Callback, UserData); },
		MoveTemp(OnResult));
}

uint64 UXerialSubsystem::SignInWithBrowserWallet(FXerialOnResult&& OnResult)
{
	return FXerialCall::Start(
		[](XerialCallback Callback, void* UserData) { return FXerialSignIn::Start(XERIAL_SIGNIN_BROWSER_WALLET, Callback, UserData); },
		MoveTemp(OnResult));
}

EXerialCode UXerialSubsystem::CompleteSignIn(const FString& RedirectUrl)
{
	if (!FXerialCall::IsAvailable())
	{
		return EXerialCode::NotInitialized;
	}
	return FXerialCall::ToCode(xerial_signin_complete(FXerialUtf8(RedirectUrl).Get()));
}

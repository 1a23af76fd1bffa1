// XerialSignInSampleActor.cpp - see XerialSignInSampleActor.h.
#include "XerialSignInSampleActor.h"

#include "Engine/Engine.h"
#include "XerialBlueprintLibrary.h"
#include "XerialCall.h"
#include "XerialSubsystem.h"
#include "xerial.h"

DEFINE_LOG_CATEGORY_STATIC(LogXerialSample, Log, All);

AXerialSignInSampleActor::AXerialSignInSampleActor()
{
	PrimaryActorTick.bCanEverTick = false;
}

void AXerialSignInSampleActor::BeginPlay()
{
	Super::BeginPlay();
	UXerialSubsystem* Xerial = UXerialSubsystem::Get(this);
	if (Xerial == nullptr || !Xerial->IsReady())
	{
		Show(TEXT("Xerial is not ready: see LogXerial (is the library staged, and BaseUrl right?)"), FColor::Red);
		return;
	}
	if (Xerial->IsLoggedIn())
	{
		ReadPlayer();
	}
	else if (bSignInOnBeginPlay)
	{
		StartSignIn();
	}
}

void AXerialSignInSampleActor::EndPlay(const EEndPlayReason::Type EndPlayReason)
{
	if (PendingSignIn != 0)
	{
		if (UXerialSubsystem* Xerial = UXerialSubsystem::Get(this))
		{
			Xerial->Cancel(PendingSignIn); // closes the SDK's listener at once
		}
	}
	Super::EndPlay(EndPlayReason);
}

void AXerialSignInSampleActor::StartSignIn()
{
	UXerialSubsystem* Xerial = UXerialSubsystem::Get(this);
	if (Xerial == nullptr || PendingSignIn != 0)
	{
		return;
	}
	// The callback runs once, on the game thread, inside the subsystem's tick; the actor may be
	// gone by then, so it holds a weak pointer.
	auto OnResult = [WeakThis = TWeakObjectPtr<AXerialSignInSampleActor>(this)](const FXerialResult& Result)
	{
		if (AXerialSignInSampleActor* Self = WeakThis.Get())
		{
			Self->HandleSignInResult(Result);
		}
	};
	PendingSignIn = bUseBrowserWallet ? Xerial->SignInWithBrowserWallet(MoveTemp(OnResult)) : Xerial->SignInWithGoogle(MoveTemp(OnResult));
	Show(PendingSignIn != 0 ? TEXT("Sign-in started: finish it in the browser") : TEXT("Sign-in could not start: the SDK is not initialised"),
		PendingSignIn != 0 ? FColor::White : FColor::Red);
}

void AXerialSignInSampleActor::HandleSignInResult(const FXerialResult& Result)
{
	PendingSignIn = 0;
	Show(FString::Printf(TEXT("Sign-in: %s"), *UXerialBlueprintLibrary::DescribeResult(Result)),
		Result.IsOk() ? FColor::Green : (Result.Code == EXerialCode::Denied ? FColor::Yellow : FColor::Red));
	if (Result.IsOk())
	{
		ReadPlayer();
	}
}

void AXerialSignInSampleActor::ReadPlayer()
{
	FXerialCall::Start(
		[](XerialCallback Callback, void* UserData) { return xerial_user_get(Callback, UserData); },
		[WeakThis = TWeakObjectPtr<AXerialSignInSampleActor>(this)](const FXerialResult& Result)
		{
			if (AXerialSignInSampleActor* Self = WeakThis.Get())
			{
				Self->Show(FString::Printf(TEXT("Player: %s"), *UXerialBlueprintLibrary::DescribeResult(Result)),
					Result.IsOk() ? FColor::Green : FColor::Red);
			}
		});
}

void AXerialSignInSampleActor::Show(const FString& Line, const FColor& Color) const
{
	UE_LOG(LogXerialSample, Log, TEXT("%s"), *Line);
	if (GEngine != nullptr)
	{
		GEngine->AddOnScreenDebugMessage(-1, 10.0f, Color, Line);
	}
}

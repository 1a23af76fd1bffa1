// XerialSampleActor.cpp - see XerialSampleActor.h.
#include "XerialSampleActor.h"

#include "Engine/Engine.h"
#include "XerialBlueprintLibrary.h"
#include "XerialSubsystem.h"

DEFINE_LOG_CATEGORY_STATIC(LogXerialSample, Log, All);

AXerialSampleActor::AXerialSampleActor()
{
	PrimaryActorTick.bCanEverTick = false;
}

void AXerialSampleActor::BeginPlay()
{
	Super::BeginPlay();

	UXerialSubsystem* Xerial = UXerialSubsystem::Get(this);
	if (Xerial == nullptr || !Xerial->IsReady())
	{
		Show(TEXT("Xerial is not ready: see LogXerial (is the library staged, and BaseUrl right?)"), FColor::Red);
		return;
	}
	Show(FString::Printf(TEXT("Xerial SDK %s ready; player %s"), *Xerial->GetSdkVersion(),
		Xerial->IsLoggedIn() ? TEXT("logged in") : TEXT("logged out")), FColor::White);
	Xerial->OnAuthStateChanged.AddDynamic(this, &AXerialSampleActor::HandleAuthStateChanged);

	if (!TokensJson.IsEmpty())
	{
		const EXerialCode Code = Xerial->SetSession(TokensJson);
		if (Code != EXerialCode::Ok)
		{
			Show(TEXT("TokensJson is not a valid token pair (InvalidArgument)"), FColor::Red);
		}
	}
	if (bLogoutOnBeginPlay)
	{
		StartLogout();
	}
}

void AXerialSampleActor::EndPlay(const EEndPlayReason::Type EndPlayReason)
{
	CancelLogout();
	if (UXerialSubsystem* Xerial = UXerialSubsystem::Get(this))
	{
		Xerial->OnAuthStateChanged.RemoveDynamic(this, &AXerialSampleActor::HandleAuthStateChanged);
	}
	Super::EndPlay(EndPlayReason);
}

void AXerialSampleActor::StartLogout()
{
	UXerialSubsystem* Xerial = UXerialSubsystem::Get(this);
	if (Xerial == nullptr || PendingLogout != 0)
	{
		return;
	}
	// The callback runs once, on the game thread, inside the subsystem's tick; the actor may be
	// gone by then, so it holds a weak pointer.
	PendingLogout = Xerial->Logout(FString(),
		[WeakThis = TWeakObjectPtr<AXerialSampleActor>(this)](const FXerialResult& Result)
		{
			if (AXerialSampleActor* Self = WeakThis.Get())
			{
				Self->HandleLogoutResult(Result);
			}
		});
	if (PendingLogout == 0)
	{
		Show(TEXT("Logout could not start: the SDK is not initialised"), FColor::Red);
		return;
	}
	Show(FString::Printf(TEXT("Logout #%llu sent; locally the player is now %s"), PendingLogout,
		Xerial->IsLoggedIn() ? TEXT("logged in") : TEXT("logged out")), FColor::White);
}

void AXerialSampleActor::CancelLogout()
{
	if (PendingLogout != 0)
	{
		if (UXerialSubsystem* Xerial = UXerialSubsystem::Get(this))
		{
			Xerial->Cancel(PendingLogout); // the callback still runs, with Cancelled
		}
	}
}

void AXerialSampleActor::HandleLogoutResult(const FXerialResult& Result)
{
	PendingLogout = 0;
	const FString Line = FString::Printf(TEXT("Logout: %s"), *UXerialBlueprintLibrary::DescribeResult(Result));
	// 204: revoked. 404 "Not Found": the token was unknown or already revoked - locally the
	// player is logged out either way.
	Show(Line, Result.IsOk() ? FColor::Green : (Result.Code == EXerialCode::NotLoggedIn ? FColor::Yellow : FColor::Red));
}

void AXerialSampleActor::HandleAuthStateChanged(EXerialAuthState NewState)
{
	Show(NewState == EXerialAuthState::LoggedIn ? TEXT("Auth: logged in") : TEXT("Auth: logged out"), FColor::Cyan);
}

void AXerialSampleActor::Show(const FString& Line, const FColor& Color) const
{
	UE_LOG(LogXerialSample, Log, TEXT("%s"), *Line);
	if (GEngine != nullptr)
	{
		GEngine->AddOnScreenDebugMessage(-1, 10.0f, Color, Line);
	}
}

// XerialSubsystem.cpp - see XerialSubsystem.h.
#include "XerialSubsystem.h"

#include "Engine/Engine.h"
#include "Engine/GameInstance.h"
#include "Engine/World.h"
#include "HAL/FileManager.h"
#include "Misc/FileHelper.h"
#include "Misc/Paths.h"
#include "XerialModule.h"
#include "XerialSettings.h"
#include "xerial.h"

namespace
{
	// Game thread only.
	int32 GLiveInstances = 0;
	int32 GInitCode = XERIAL_E_NOT_INITIALIZED;
	bool GShuttingDown = false;
	TArray<TWeakObjectPtr<UXerialSubsystem>> GInstances;
}

bool UXerialSubsystem::ShouldCreateSubsystem(UObject* Outer) const
{
	// A dedicated server has no player: it does not run the player SDK (its nodes answer NotInitialized).
	return Super::ShouldCreateSubsystem(Outer) && !IsRunningDedicatedServer();
}

void UXerialSubsystem::Initialize(FSubsystemCollectionBase& Collection)
{
	Super::Initialize(Collection);

	if (!FXerialModule::IsLibraryLoaded())
	{
		UE_LOG(LogXerial, Error, TEXT("libxerial is not loaded (see the log above): Xerial calls will fail with NotInitialized."));
		return;
	}

	const UXerialSettings* Settings = GetDefault<UXerialSettings>();
	MaxCallbacksPerFrame = FMath::Max(0, Settings->MaxCallbacksPerFrame);

	if (GLiveInstances++ == 0)
	{
		// The log callback may run on any SDK thread: OnLog only calls UE_LOG, which is thread-safe.
		xerial_set_log_callback(Settings->LogLevel == EXerialLogLevel::Off ? nullptr : &UXerialSubsystem::OnLog,
			nullptr, static_cast<int32_t>(Settings->LogLevel));
		// The auth listener runs inside xerial_poll (poll mode), on the game thread.
		xerial_set_auth_listener(&UXerialSubsystem::OnAuthState, nullptr);

		// The plain file of SavedFile; with Protected, a file left there is moved into the OS's store.
		FString SessionPath;
		if (Settings->SessionStore != EXerialSessionStore::Memory)
		{
			const FString Dir = FPaths::Combine(FPaths::ProjectSavedDir(), TEXT("Xerial"));
			if (Settings->SessionStore == EXerialSessionStore::SavedFile)
			{
				IFileManager::Get().MakeDirectory(*Dir, true);
			}
			// The SDK opens the file itself: it needs the platform's real path (Android, iOS:
			// ProjectSavedDir is a path of the engine's virtual file system), as sentry-unreal does.
			SessionPath = IFileManager::Get().ConvertToAbsolutePathForExternalAppForWrite(*FPaths::Combine(Dir, TEXT("session.json")));
		}

		FString ExtraRootCaPem;
		bool bCaMissing = false;
		if (!Settings->ExtraRootCaPemFile.IsEmpty())
		{
			// Relative to the project directory; XerialLibrary.Build.cs stages it into the packaged
			// game, where the engine's file system (pak or loose) finds it at the same place.
			const FString CaPath = FPaths::IsRelative(Settings->ExtraRootCaPemFile)
				? FPaths::Combine(FPaths::ProjectDir(), Settings->ExtraRootCaPemFile)
				: Settings->ExtraRootCaPemFile;
			bCaMissing = !FFileHelper::LoadFileToString(ExtraRootCaPem, *CaPath) || ExtraRootCaPem.IsEmpty();
			if (bCaMissing)
			{
				UE_LOG(LogXerial, Error, TEXT("Cannot read ExtraRootCaPemFile %s: not initialising (the SDK never runs without a CA its settings name)."), *CaPath);
			}
		}

		// The UTF-8 copies live until xerial_init returns; it copies them.
		const FXerialUtf8 BaseUrl(Settings->BaseUrl);
		const FXerialUtf8 MarketplaceUrl(Settings->MarketplaceUrl);
		const FXerialUtf8 ProjectId(Settings->ProjectId);
		const FXerialUtf8 SessionFile(SessionPath);
		const FXerialUtf8 ProxyUrl(Settings->ProxyUrl);
		const FXerialUtf8 ExtraRootCa(ExtraRootCaPem);
		const FXerialUtf8 AuthorizeUrl(Settings->OAuthAuthorizeUrl);
		const FXerialUtf8 TokenUrl(Settings->OAuthTokenUrl);

		XerialConfig Config;
		xerial_config_init(&Config, sizeof Config);
		Config.base_url = BaseUrl.GetOrNull();
		Config.marketplace_url = MarketplaceUrl.GetOrNull();
		Config.project_id = ProjectId.GetOrNull();
		Config.session_path = SessionFile.GetOrNull();
		Config.timeout_ms = static_cast<uint32_t>(FMath::Max(0, Settings->TimeoutMs));
		Config.connect_timeout_ms = static_cast<uint32_t>(FMath::Max(0, Settings->ConnectTimeoutMs));
		Config.worker_threads = static_cast<uint32_t>(FMath::Max(0, Settings->WorkerThreads));
		Config.max_retries = static_cast<uint32_t>(FMath::Max(0, Settings->MaxRetries));
		Config.allow_insecure_http = Settings->bAllowInsecureHttp ? 1 : 0;
		Config.dispatch = XERIAL_DISPATCH_POLL; // callbacks on the game thread, inside Tick
		Config.proxy_url = ProxyUrl.GetOrNull();               // ABI 1.1
		Config.extra_root_ca_pem = ExtraRootCa.GetOrNull();    // ABI 1.1
		Config.oauth_authorize_url = AuthorizeUrl.GetOrNull(); // ABI 1.2
		Config.oauth_token_url = TokenUrl.GetOrNull();         // ABI 1.2
		Config.session_store = static_cast<uint64_t>(Settings->SessionStore); // ABI 1.3

		const bool bNeedsAbi11 = Config.proxy_url != nullptr || Config.extra_root_ca_pem != nullptr;
		if (bCaMissing)
		{
			GInitCode = XERIAL_E_INVALID_ARGUMENT;
		}
		else if ((xerial_abi_version() & 0xffffu) < 3)
		{
			// An older library reads no session_store: a session_path alone means the plain file.
			UE_LOG(LogXerial, Error, TEXT("SessionStore needs libxerial ABI 1.3 or newer; not initialising."));
			GInitCode = XERIAL_E_INVALID_ARGUMENT;
		}
		else if (bNeedsAbi11 && (xerial_abi_version() & 0xffffu) < 1)
		{
			// An ABI 1.0 library would ignore them silently: a proxy or CA the game relies on.
			UE_LOG(LogXerial, Error, TEXT("ProxyUrl/ExtraRootCaPemFile need libxerial ABI 1.1 or newer; not initialising."));
			GInitCode = XERIAL_E_INVALID_ARGUMENT;
		}
		else
		{
			GInitCode = xerial_init(&Config);
		}
		if (GInitCode == XERIAL_E_ALREADY_INITIALIZED)
		{
			// Someone else (game code calling the C ABI directly) initialised it: use that.
			UE_LOG(LogXerial, Warning, TEXT("The Xerial SDK was already initialised outside the plugin; using it as it is."));
			GInitCode = XERIAL_OK;
		}
		if (GInitCode == XERIAL_OK)
		{
			UE_LOG(LogXerial, Log, TEXT("Xerial SDK initialised (%s, player %s)"), *Settings->BaseUrl,
				xerial_auth_state() == XERIAL_AUTH_LOGGED_IN ? TEXT("logged in") : TEXT("logged out"));
		}
		else
		{
			UE_LOG(LogXerial, Error, TEXT("xerial_init failed: %s (check Project Settings > Plugins > Xerial: BaseUrl %s)"),
				UTF8_TO_TCHAR(xerial_code_name(GInitCode)), *Settings->BaseUrl);
		}
	}
	bCounted = true;
	GInstances.Add(this);
	TickHandle = FTSTicker::GetCoreTicker().AddTicker(FTickerDelegate::CreateUObject(this, &UXerialSubsystem::Tick), 0.0f);
}

void UXerialSubsystem::Deinitialize()
{
	FTSTicker::RemoveTicker(TickHandle);
	TickHandle.Reset();
	GInstances.Remove(this);
	if (bCounted)
	{
		bCounted = false;
		if (--GLiveInstances == 0 && FXerialModule::IsLibraryLoaded())
		{
			// Runs every owed callback here, on the game thread, before returning: C++ callbacks get
			// XERIAL_E_SHUTDOWN (or their real result if it was already queued); async nodes end
			// without firing pins (IsShuttingDown).
			GShuttingDown = true;
			xerial_shutdown();
			GShuttingDown = false;
			xerial_set_auth_listener(nullptr, nullptr);
			xerial_set_log_callback(nullptr, nullptr, 0);
			GInitCode = XERIAL_E_NOT_INITIALIZED;
		}
	}
	Super::Deinitialize();
}

UXerialSubsystem* UXerialSubsystem::Get(const UObject* WorldContextObject)
{
	if (GEngine == nullptr || WorldContextObject == nullptr)
	{
		return nullptr;
	}
	const UWorld* World = GEngine->GetWorldFromContextObject(WorldContextObject, EGetWorldErrorMode::LogAndReturnNull);
	const UGameInstance* GameInstance = World != nullptr ? World->GetGameInstance() : nullptr;
	return GameInstance != nullptr ? GameInstance->GetSubsystem<UXerialSubsystem>() : nullptr;
}

bool UXerialSubsystem::IsShuttingDown()
{
	return GShuttingDown;
}

bool UXerialSubsystem::Tick(float DeltaTime)
{
	(void)DeltaTime;
	if (GInitCode == XERIAL_OK)
	{
		// Never blocks; with nothing queued it is one atomic load. Several instances (PIE) each
		// call it: polls are serialised and share one queue.
		xerial_poll(static_cast<uint32_t>(MaxCallbacksPerFrame));
	}
	return true; // keep ticking
}

bool UXerialSubsystem::IsReady() const
{
	return bCounted && GInitCode == XERIAL_OK;
}

EXerialCode UXerialSubsystem::GetInitCode() const
{
	return FXerialCall::ToCode(GInitCode);
}

EXerialAuthState UXerialSubsystem::GetAuthState() const
{
	return IsReady() && xerial_auth_state() == XERIAL_AUTH_LOGGED_IN ? EXerialAuthState::LoggedIn : EXerialAuthState::LoggedOut;
}

bool UXerialSubsystem::IsLoggedIn() const
{
	return GetAuthState() == EXerialAuthState::LoggedIn;
}

EXerialCode UXerialSubsystem::SetSession(const FString& TokensJson)
{
	if (!IsReady())
	{
		return EXerialCode::NotInitialized;
	}
	return FXerialCall::ToCode(xerial_session_set(FXerialUtf8(TokensJson).Get()));
}

EXerialCode UXerialSubsystem::ClearSession()
{
	return IsReady() ? FXerialCall::ToCode(xerial_session_clear()) : EXerialCode::NotInitialized;
}

EXerialCode UXerialSubsystem::GetSession(FString& OutTokensJson) const
{
	OutTokensJson.Reset();
	if (!IsReady())
	{
		return EXerialCode::NotInitialized;
	}
	TArray<char> Buffer;
	Buffer.SetNumUninitialized(2048);
	for (int32 Attempt = 0; Attempt < 4; ++Attempt)
	{
		size_t Written = 0;
		const int32 Code = xerial_session_get(Buffer.GetData(), static_cast<size_t>(Buffer.Num()), &Written);
		if (Code == XERIAL_E_BUFFER_TOO_SMALL && Written > static_cast<size_t>(Buffer.Num()))
		{
			Buffer.SetNumUninitialized(static_cast<int32>(Written)); // the size needed, NUL included
			continue;
		}
		if (Code == XERIAL_OK && Written > 0)
		{
			const FUTF8ToTCHAR Json(Buffer.GetData(), static_cast<int32>(Written - 1));
			OutTokensJson = FString(Json.Length(), Json.Get());
		}
		return FXerialCall::ToCode(Code);
	}
	return EXerialCode::BufferTooSmall;
}

FString UXerialSubsystem::GetSdkVersion() const
{
	return FXerialModule::IsLibraryLoaded() ? FString(UTF8_TO_TCHAR(xerial_version())) : FString();
}

uint64 UXerialSubsystem::Logout(const FString& RefreshToken, FXerialOnResult&& OnResult)
{
	if (!IsReady())
	{
		return 0;
	}
	return FXerialCall::Start(
		[&RefreshToken](XerialCallback Callback, void* UserData)
		{
			return xerial_logout(FXerialUtf8(RefreshToken).Get(), Callback, UserData);
		},
		MoveTemp(OnResult));
}

bool UXerialSubsystem::Cancel(uint64 RequestId)
{
	return FXerialCall::Cancel(RequestId);
}

void UXerialSubsystem::BroadcastAuthState(EXerialAuthState State)
{
	OnAuthStateChanged.Broadcast(State);
}

void UXerialSubsystem::OnLog(void* UserData, int32_t Level, const char* Message)
{
	(void)UserData;
	// Any thread. UE_LOG's verbosity is a compile-time argument, hence the switch.
	const FString Text = UTF8_TO_TCHAR(Message != nullptr ? Message : "");
	switch (Level)
	{
	case XERIAL_LOG_ERROR:
		UE_LOG(LogXerial, Error, TEXT("%s"), *Text);
		break;
	case XERIAL_LOG_WARN:
		UE_LOG(LogXerial, Warning, TEXT("%s"), *Text);
		break;
	case XERIAL_LOG_INFO:
		UE_LOG(LogXerial, Log, TEXT("%s"), *Text);
		break;
	case XERIAL_LOG_DEBUG:
		UE_LOG(LogXerial, Verbose, TEXT("%s"), *Text);
		break;
	default:
		UE_LOG(LogXerial, VeryVerbose, TEXT("%s"), *Text);
		break;
	}
}

void UXerialSubsystem::OnAuthState(void* UserData, int32_t State)
{
	(void)UserData;
	// Poll mode: inside xerial_poll (our Tick) or xerial_shutdown, on the game thread.
	if (GShuttingDown)
	{
		return;
	}
	const EXerialAuthState NewState = State == XERIAL_AUTH_LOGGED_IN ? EXerialAuthState::LoggedIn : EXerialAuthState::LoggedOut;
	// A copy: a handler may end a game instance.
	const TArray<TWeakObjectPtr<UXerialSubsystem>> Instances = GInstances;
	for (const TWeakObjectPtr<UXerialSubsystem>& Instance : Instances)
	{
		if (UXerialSubsystem* Subsystem = Instance.Get())
		{
			Subsystem->BroadcastAuthState(NewState);
		}
	}
}

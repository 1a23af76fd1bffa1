// XerialHttpTransport.h - the SDK's requests through Unreal's own HTTP module (FHttpModule), for
// a platform whose certification requires the engine's HTTP/TLS stack (consoles), or a game that
// prefers it (its proxy, certificate and analytics settings). Optional: without it the SDK uses
// its built-in transport.
//
//     FXerialHttpTransport Transport;                 // lives longer than the SDK's initialisation
//     XerialConfig Config;
//     xerial_config_init(&Config, sizeof Config);
//     Config.transport = Transport.Get();
//     Config.run_mode = XERIAL_RUN_IN_POLL;           // the SDK then starts no thread
//     xerial_init(&Config);                           // and is advanced by xerial_poll in Tick
//
// With XERIAL_RUN_IN_POLL the SDK calls Send and Cancel inside xerial_poll, on the game thread,
// and FHttpModule completes requests on the game thread too. Caveats (unreal-sample/README.md):
// the HTTP module may follow redirects, and on libcurl-based platforms may re-send a request
// whose reused connection turns out dead; neither is under this class's control.
#pragma once

#include "CoreMinimal.h"
#include "Containers/Map.h"
#include "HAL/CriticalSection.h"
#include "HttpFwd.h"
#include "xerial.h"

class XERIAL_API FXerialHttpTransport
{
public:
	FXerialHttpTransport();
	/** Cancels what is still in flight: shut the SDK down first (which cancels every handle). */
	~FXerialHttpTransport();
	FXerialHttpTransport(const FXerialHttpTransport&) = delete;
	FXerialHttpTransport& operator=(const FXerialHttpTransport&) = delete;

	/** The table for XerialConfig::transport; valid while this object lives. */
	const XerialTransport* Get() const { return &Table; }

	/** Requests sent and not yet answered or cancelled. */
	int32 NumInFlight() const;

private:
	static void Send(void* UserData, const XerialHttpRequest* Request);
	static void Cancel(void* UserData, uint64_t Handle);
	void Start(const XerialHttpRequest& Request);
	void Finish(uint64 Handle, FHttpResponsePtr Response, bool bConnectedSuccessfully);

	XerialTransport Table;
	mutable FCriticalSection Lock;
	TMap<uint64, FHttpRequestPtr> InFlight;
};

// XerialCall.cpp - see XerialCall.h.
#include "XerialCall.h"

#include "XerialModule.h"

bool FXerialCall::IsAvailable()
{
	return FXerialModule::IsLibraryLoaded();
}

bool FXerialCall::Cancel(uint64 RequestId)
{
	return RequestId != 0 && IsAvailable() && xerial_cancel(RequestId) == XERIAL_OK;
}

EXerialCode FXerialCall::ToCode(int32 RawCode)
{
	switch (RawCode)
	{
	case XERIAL_OK: return EXerialCode::Ok;
	case XERIAL_E_INVALID_ARGUMENT: return EXerialCode::InvalidArgument;
	case XERIAL_E_NOT_INITIALIZED: return EXerialCode::NotInitialized;
	case XERIAL_E_ALREADY_INITIALIZED: return EXerialCode::AlreadyInitialized;
	case XERIAL_E_NOT_LOGGED_IN: return EXerialCode::NotLoggedIn;
	case XERIAL_E_CANCELLED: return EXerialCode::Cancelled;
	case XERIAL_E_SHUTDOWN: return EXerialCode::Shutdown;
	case XERIAL_E_BUFFER_TOO_SMALL: return EXerialCode::BufferTooSmall;
	case XERIAL_E_DENIED: return EXerialCode::Denied;
	case XERIAL_E_UNAVAILABLE: return EXerialCode::Unavailable;
	case XERIAL_E_NETWORK: return EXerialCode::Network;
	case XERIAL_E_TIMEOUT: return EXerialCode::Timeout;
	case XERIAL_E_OUTCOME_UNKNOWN: return EXerialCode::OutcomeUnknown;
	case XERIAL_E_BAD_REQUEST: return EXerialCode::BadRequest;
	case XERIAL_E_UNAUTHORIZED: return EXerialCode::Unauthorized;
	case XERIAL_E_FORBIDDEN: return EXerialCode::Forbidden;
	case XERIAL_E_NOT_FOUND: return EXerialCode::NotFound;
	case XERIAL_E_NOT_SUPPORTED: return EXerialCode::NotSupported;
	case XERIAL_E_PRECONDITION_FAILED: return EXerialCode::PreconditionFailed;
	case XERIAL_E_RATE_LIMITED: return EXerialCode::RateLimited;
	case XERIAL_E_HTTP: return EXerialCode::Http;
	case XERIAL_E_SERVER: return EXerialCode::Server;
	case XERIAL_E_DECODE: return EXerialCode::Decode;
	case XERIAL_E_INTERNAL: return EXerialCode::Internal;
	default: return EXerialCode::Unknown;
	}
}

FXerialResult FXerialCall::ToResult(const XerialResult& Result)
{
	FXerialResult Out;
	Out.RequestId = static_cast<int64>(Result.request_id);
	Out.RawCode = Result.code;
	Out.Code = ToCode(Result.code);
	Out.CodeName = UTF8_TO_TCHAR(xerial_code_name(Result.code));
	Out.HttpStatus = Result.http_status;
	if (Result.message != nullptr)
	{
		Out.Message = UTF8_TO_TCHAR(Result.message);
	}
	if (Result.body != nullptr && Result.body_len > 0)
	{
		// body_len bytes, without the NUL: convert exactly that many.
		const FUTF8ToTCHAR Body(Result.body, static_cast<int32>(Result.body_len));
		Out.Body = FString(Body.Length(), Body.Get());
	}
	Out.bRetryable = Result.retryable != 0;
	Out.RetryAfterMs = static_cast<int32>(FMath::Min<uint32>(Result.retry_after_ms, static_cast<uint32>(MAX_int32)));
	return Out;
}

FXerialResult FXerialCall::MakeResult(int32 RawCode, const FString& Message)
{
	FXerialResult Out;
	Out.RawCode = RawCode;
	Out.Code = ToCode(RawCode);
	Out.CodeName = IsAvailable() ? FString(UTF8_TO_TCHAR(xerial_code_name(RawCode))) : FString::Printf(TEXT("%d"), RawCode);
	Out.Message = Message;
	return Out;
}

void FXerialCall::Trampoline(void* UserData, const XerialResult* Result)
{
	// Take ownership first: the function is deleted when this returns, whatever happens.
	TUniquePtr<FXerialOnResult> OnResult(static_cast<FXerialOnResult*>(UserData));
	if (!OnResult.IsValid() || !*OnResult)
	{
		return;
	}
	const FXerialResult Copy = Result != nullptr
		? ToResult(*Result)
		: MakeResult(XERIAL_E_INTERNAL, TEXT("the library passed no result"));
#if defined(__cpp_exceptions) || defined(_CPPUNWIND)
	try
	{
		(*OnResult)(Copy);
	}
	catch (...)
	{
		UE_LOG(LogXerial, Error, TEXT("A Xerial callback threw an exception; it was swallowed (request %lld)"), Copy.RequestId);
	}
#else
	(*OnResult)(Copy);
#endif
}

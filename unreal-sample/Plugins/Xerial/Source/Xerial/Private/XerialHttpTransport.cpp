// XerialHttpTransport.cpp - see XerialHttpTransport.h.
#include "XerialHttpTransport.h"

#include "HAL/UnrealMemory.h"
#include "HttpModule.h"
#include "Interfaces/IHttpRequest.h"
#include "Interfaces/IHttpResponse.h"
#include "Misc/ScopeLock.h"

FXerialHttpTransport::FXerialHttpTransport()
{
	Table.struct_size = sizeof(XerialTransport);
	Table.user_data = this;
	Table.send = &FXerialHttpTransport::Send;
	Table.cancel = &FXerialHttpTransport::Cancel;
}

FXerialHttpTransport::~FXerialHttpTransport()
{
	TMap<uint64, FHttpRequestPtr> Left;
	{
		FScopeLock Guard(&Lock);
		Left = InFlight;
		InFlight.Empty();
	}
	for (const auto& Pair : Left)
	{
		Pair.Value->CancelRequest();
	}
}

int32 FXerialHttpTransport::NumInFlight() const
{
	FScopeLock Guard(&Lock);
	return InFlight.Num();
}

void FXerialHttpTransport::Send(void* UserData, const XerialHttpRequest* Request)
{
	static_cast<FXerialHttpTransport*>(UserData)->Start(*Request);
}

void FXerialHttpTransport::Cancel(void* UserData, uint64_t Handle)
{
	FXerialHttpTransport* Self = static_cast<FXerialHttpTransport*>(UserData);
	FHttpRequestPtr Request;
	{
		FScopeLock Guard(&Self->Lock);
		if (!Self->InFlight.RemoveAndCopyValue(Handle, Request))
		{
			return;
		}
	}
	// Outside the lock: the module may complete it (and so call Finish) from inside.
	Request->CancelRequest();
}

void FXerialHttpTransport::Start(const XerialHttpRequest& Request)
{
	FHttpRequestPtr Http = FHttpModule::Get().CreateRequest();
	Http->SetURL(FString(UTF8_TO_TCHAR(Request.url)));
	Http->SetVerb(FString(UTF8_TO_TCHAR(Request.method)));
	for (size_t Index = 0; Index < Request.header_count; ++Index)
	{
		Http->SetHeader(FString(UTF8_TO_TCHAR(Request.headers[Index].name)),
		                FString(UTF8_TO_TCHAR(Request.headers[Index].value)));
	}
	if (Request.body_len > 0)
	{
		TArray<uint8> Body;
		Body.SetNumUninitialized(static_cast<int32>(Request.body_len));
		FMemory::Memcpy(Body.GetData(), Request.body, Request.body_len);
		Http->SetContent(Body);
	}
	// The SDK keeps the call's deadline itself (and cancels the handle when it passes): the
	// module's own timer must not fire first.
	Http->SetTimeout(static_cast<float>(Request.timeout_ms) / 1000.0f + 2.0f);
	const uint64 Handle = Request.handle;
	Http->OnProcessRequestComplete().BindLambda(
		[this, Handle](FHttpRequestPtr, FHttpResponsePtr Response, bool bConnectedSuccessfully)
		{ Finish(Handle, Response, bConnectedSuccessfully); });
	{
		FScopeLock Guard(&Lock);
		InFlight.Add(Handle, Http);
	}
	if (!Http->ProcessRequest())
	{
		FHttpRequestPtr Dropped;
		{
			FScopeLock Guard(&Lock);
			InFlight.RemoveAndCopyValue(Handle, Dropped);
		}
		xerial_http_fail(Handle, XERIAL_HTTP_NOT_SENT, "FHttpModule refused the request");
	}
}

void FXerialHttpTransport::Finish(uint64 Handle, FHttpResponsePtr Response, bool bConnectedSuccessfully)
{
	FHttpRequestPtr Done;
	{
		FScopeLock Guard(&Lock);
		if (!InFlight.RemoveAndCopyValue(Handle, Done))
		{
			return; // cancelled: the SDK stopped waiting
		}
	}
	if (!bConnectedSuccessfully || !Response.IsValid())
	{
		// The module does not say whether anything left: the SDK must assume it may have.
		xerial_http_fail(Handle, XERIAL_HTTP_MAYBE_SENT, "FHttpModule: the request failed");
		return;
	}
	// "Name: Value" lines, as UTF-8 split in place at the colon, into the pairs
	// xerial_http_complete reads (borrowed for the call).
	const TArray<FString> Lines = Response->GetAllHeaders();
	TArray<TArray<char>> Texts;
	TArray<XerialHttpHeader> Headers;
	for (const FString& Line : Lines)
	{
		FTCHARToUTF8 Utf8(*Line);
		TArray<char> Text;
		Text.SetNumUninitialized(Utf8.Length() + 1);
		FMemory::Memcpy(Text.GetData(), Utf8.Get(), static_cast<size_t>(Utf8.Length()));
		Text[Utf8.Length()] = '\0';
		int32 Colon = 0;
		while (Colon < Utf8.Length() && Text[Colon] != ':')
		{
			++Colon;
		}
		if (Colon == Utf8.Length())
		{
			continue;
		}
		Text[Colon] = '\0';
		int32 ValueStart = Colon + 1;
		while (Text[ValueStart] == ' ' || Text[ValueStart] == '\t')
		{
			++ValueStart;
		}
		Texts.Add(MoveTemp(Text));
		const TArray<char>& Kept = Texts[Texts.Num() - 1];
		Headers.Add(XerialHttpHeader{Kept.GetData(), Kept.GetData() + ValueStart});
	}
	const TArray<uint8>& Body = Response->GetContent();
	xerial_http_complete(Handle, Response->GetResponseCode(), Headers.GetData(), static_cast<size_t>(Headers.Num()),
	                     Body.GetData(), static_cast<size_t>(Body.Num()));
}

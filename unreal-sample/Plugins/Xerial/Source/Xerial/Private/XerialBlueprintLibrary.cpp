// XerialBlueprintLibrary.cpp - see XerialBlueprintLibrary.h.
#include "XerialBlueprintLibrary.h"

bool UXerialBlueprintLibrary::IsOk(const FXerialResult& Result)
{
	return Result.IsOk();
}

FString UXerialBlueprintLibrary::DescribeResult(const FXerialResult& Result)
{
	FString Line = Result.CodeName;
	if (Result.HttpStatus != 0)
	{
		Line += FString::Printf(TEXT(" (HTTP %d)"), Result.HttpStatus);
	}
	if (!Result.Message.IsEmpty())
	{
		Line += TEXT(": ");
		Line += Result.Message;
	}
	if (Result.bRetryable)
	{
		Line += Result.RetryAfterMs > 0 ? FString::Printf(TEXT(" [retryable after %d ms]"), Result.RetryAfterMs) : FString(TEXT(" [retryable]"));
	}
	return Line;
}

// XerialSettings.cpp - see XerialSettings.h.
#include "XerialSettings.h"

FName UXerialSettings::GetCategoryName() const
{
	return FName(TEXT("Plugins"));
}

// XerialSample.cpp - the sample's primary game module.
#include "Modules/ModuleManager.h"

IMPLEMENT_PRIMARY_GAME_MODULE(FDefaultGameModuleImpl, XerialSample, "XerialSample");

// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "UObject/ObjectMacros.h"

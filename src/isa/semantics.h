#pragma once

// Every instruction's semantics: one function template per row of the instruction table.
#include "isa/semantics/fpu.h"
#include "isa/semantics/integer.h"

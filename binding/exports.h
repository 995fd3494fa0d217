// One Register* per family of exports; addon.cc only calls them.
#pragma once
#include <napi.h>

namespace mxne {
void RegisterLinalg(Napi::Env env, Napi::Object exports);
void RegisterDecomp(Napi::Env env, Napi::Object exports);
void RegisterOpenBlas(Napi::Env env, Napi::Object exports);
void RegisterKernels(Napi::Env env, Napi::Object exports);
void RegisterSolvers(Napi::Env env, Napi::Object exports);
void RegisterGammaMap(Napi::Env env, Napi::Object exports);
void RegisterPriority(Napi::Env env, Napi::Object exports);
void RegisterAsync(Napi::Env env, Napi::Object exports);
void RegisterMemory(Napi::Env env, Napi::Object exports);
}  // namespace mxne

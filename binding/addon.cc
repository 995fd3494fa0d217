// Registers the export families; no logic lives here.
#include <napi.h>

#include "exports.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  mxne::RegisterOpenBlas(env, exports);
  mxne::RegisterLinalg(env, exports);
  mxne::RegisterDecomp(env, exports);
  mxne::RegisterKernels(env, exports);
  mxne::RegisterSolvers(env, exports);
  mxne::RegisterGammaMap(env, exports);
  mxne::RegisterPriority(env, exports);
  mxne::RegisterAsync(env, exports);
  mxne::RegisterMemory(env, exports);
  return exports;
}
}  // namespace

NODE_API_MODULE(mxne, Init)

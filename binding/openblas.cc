// OpenBLAS's runtime: thread control and identity (kernel set, build config). Threaded OpenBLAS 0.3.21 deadlocks Node when a child process is forked while
// a BLAS call runs on another thread (toolchain.md §6), so the addon starts with 1 BLAS thread unless
// OPENBLAS_NUM_THREADS says otherwise; parallelism comes from async jobs on the libuv pool.
#include <cblas.h>
#include <napi.h>

#include <cstdlib>

#include "args.h"
#include "exports.h"

extern "C" {
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
char* openblas_get_corename(void);
char* openblas_get_config(void);
}

namespace mxne {
namespace {

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  int64_t n;
  if (!ArgCount(info, 1) || !ArgInt(info, 0, "n", 1, 1024, &n)) return info.Env().Undefined();
  openblas_set_num_threads(static_cast<int>(n));
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), openblas_get_num_threads());
}

// The kernel set OpenBLAS chose at load (OPENBLAS_CORETYPE or its own CPU table) and its build line.
Napi::Value BlasInfo(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("corename", Napi::String::New(info.Env(), openblas_get_corename()));
  o.Set("config", Napi::String::New(info.Env(), openblas_get_config()));
  return o;
}

}  // namespace

void RegisterOpenBlas(Napi::Env env, Napi::Object exports) {
  static bool configured = false;  // process-wide BLAS setting, applied once even with worker threads
  if (!configured) {
    configured = true;
    if (std::getenv("OPENBLAS_NUM_THREADS") == nullptr) openblas_set_num_threads(1);
  }
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("blasInfo", Napi::Function::New(env, BlasInfo, "blasInfo"));
}

}  // namespace mxne

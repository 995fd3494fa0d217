// The C allocator's reuse of large blocks (glibc only). A pipeline run allocates ~170 MB of large
// typed arrays at 5,960 sources; with glibc's defaults each freed block goes back to the kernel
// (munmap, heap trimming) and the next run takes it again page by page: 10–20 thousand page
// faults per run, up to 0.15 s of system time. Raising both thresholds keeps freed blocks in the
// heap for the next run. The policy (whether, how large) is lib/memoryPolicy.ts's.
#include <napi.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstdint>

#include "args.h"
#include "exports.h"

namespace mxne {
namespace {

// setMallocReuse(mmapThreshold, trimThreshold): true when glibc took both.
Napi::Value SetMallocReuse(const Napi::CallbackInfo& info) {
  int64_t mmapThreshold, trimThreshold;
  if (!ArgCount(info, 2) || !ArgInt(info, 0, "mmapThreshold", 0, INT32_MAX, &mmapThreshold) ||
      !ArgInt(info, 1, "trimThreshold", 0, INT32_MAX, &trimThreshold)) {
    return info.Env().Undefined();
  }
#if defined(__GLIBC__)
  bool ok = mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmapThreshold)) == 1 &&
            mallopt(M_TRIM_THRESHOLD, static_cast<int>(trimThreshold)) == 1;
  return Napi::Boolean::New(info.Env(), ok);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

}  // namespace

void RegisterMemory(Napi::Env env, Napi::Object exports) {
  exports.Set("setMallocReuse", Napi::Function::New(env, SetMallocReuse, "setMallocReuse"));
}

}  // namespace mxne

// N-API face of kernels_gamma.h: one async job per Gamma-MAP iteration (a 360 x 360 Cholesky
// factor, SYRK, triangular solves and a GEMM take milliseconds), every argument validated before
// the kernel runs.
#include <napi.h>

#include "args.h"
#include "async.h"
#include "exports.h"
#include "kernels_gamma.h"

namespace mxne {
namespace {

constexpr int64_t kMaxDim = 2147483647;

// gammaMapStepAsync(n, k, T, G, M, gammas, alpha, updateMode, numer, denom, A, flags, work) -> Promise<flags>
// flags[0] = 1 when CM had no Cholesky factor and dsyevd was used; work: n (k + n + T) + k doubles.
Napi::Value GammaMapStepAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t n, k, T, mode;
  double alpha;
  F64 G, M, gammas, numer, denom, A, flags, work;
  size_t gLen, mLen, aLen;
  if (!ArgCount(info, 13) || !ArgInt(info, 0, "n", 0, kMaxDim, &n) || !ArgInt(info, 1, "k", 0, kMaxDim, &k) ||
      !ArgInt(info, 2, "T", 1, kMaxDim, &T) || !Size(env, "G", n, k, &gLen) || !ArgF64Finite(info, 3, "G", gLen, &G) ||
      !Size(env, "M", n, T, &mLen) || !ArgF64Finite(info, 4, "M", mLen, &M) || !ArgF64Finite(info, 5, "gammas", size_t(k), &gammas) ||
      !ArgFinite(info, 6, "alpha", &alpha) || !ArgInt(info, 7, "updateMode", 1, 2, &mode) ||
      !ArgF64(info, 8, "numer", size_t(k), &numer) || !ArgF64(info, 9, "denom", size_t(k), &denom) ||
      !Size(env, "A", k, T, &aLen) || !ArgF64(info, 10, "A", aLen, &A) || !ArgF64(info, 11, "flags", 1, &flags) ||
      !Disjoint(env, G, "G", A, "A") || !Disjoint(env, M, "M", A, "A") || !Disjoint(env, numer, "numer", denom, "denom") ||
      !Disjoint(env, gammas, "gammas", numer, "numer") || !Disjoint(env, gammas, "gammas", denom, "denom") ||
      !ArgF64(info, 12, "work", GammaMapWorkLength(int(n), int(k), int(T)), &work) || !Disjoint(env, G, "G", work, "work") ||
      !Disjoint(env, M, "M", work, "work") || !Disjoint(env, gammas, "gammas", work, "work") || !Disjoint(env, A, "A", work, "work") ||
      !Disjoint(env, numer, "numer", work, "work") || !Disjoint(env, denom, "denom", work, "work"))
    return env.Undefined();
  if (alpha <= 0) {
    ArgFail(env, "Expected alpha > 0 but received " + std::to_string(alpha));
    return env.Undefined();
  }
  const int nn = int(n), kk = int(k), tt = int(T), um = int(mode);
  return Job::Run(env, "gammaMapStep", [=] {
    bool fellBack = false;
    const Status st = GammaMapStep(nn, kk, tt, G.data, M.data, gammas.data, alpha, um, work.data, {numer.data, denom.data, A.data, &fellBack});
    flags.data[0] = fellBack ? 1 : 0;
    return st;
  }, {G, M, gammas, numer, denom, A, flags, work}, flags.value);
}

}  // namespace

void RegisterGammaMap(Napi::Env env, Napi::Object exports) {
  exports.Set("gammaMapStepAsync", Napi::Function::New(env, GammaMapStepAsync, "gammaMapStepAsync"));
}

}  // namespace mxne

// N-API face of the kernels TF-MxNE's TypeScript orchestration (lib/sparse/tfmxne/) calls: MNE's
// compute_bias on the active set (kernels_debias.cc), with the power iteration's random start drawn
// in TypeScript by the project's one numpy RandomState.
#include <napi.h>

#include "args.h"
#include "async.h"
#include "exports.h"
#include "kernels.h"

namespace mxne {
namespace {

constexpr int64_t kMaxDim = 2147483647;

// computeBiasAsync(n, T, nOrient, GtG, GtM, X, CCT, B, maxIter, tol, D) -> Promise<D>
Napi::Value ComputeBiasAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t n, T, nOrient, maxIter;
  double tol;
  F64 GtG, GtM, X, CCT, B, D;
  size_t nn, nt;
  if (!ArgCount(info, 11) || !ArgInt(info, 0, "n", 0, 46340, &n) || !ArgInt(info, 1, "T", 1, kMaxDim, &T) ||
      !ArgInt(info, 2, "nOrient", 1, n > 0 ? n : 1, &nOrient) || !Size(env, "GtG", n, n, &nn) || !Size(env, "GtM", n, T, &nt) ||
      !ArgF64Finite(info, 3, "GtG", nn, &GtG) || !ArgF64Finite(info, 4, "GtM", nt, &GtM) || !ArgF64Finite(info, 5, "X", nt, &X) ||
      !ArgF64Finite(info, 6, "CCT", nn, &CCT) || !ArgF64Finite(info, 7, "B", nn, &B) ||
      !ArgInt(info, 8, "maxIter", 0, kMaxDim, &maxIter) || !ArgFinite(info, 9, "tol", &tol) || !ArgF64(info, 10, "D", size_t(n), &D))
    return env.Undefined();
  if (n % nOrient != 0) {
    ArgFail(env, "Expected n a multiple of nOrient but received n = " + std::to_string(n) + ", nOrient = " + std::to_string(nOrient));
    return env.Undefined();
  }
  const int nn_ = int(n), tt = int(T), no = int(nOrient), mi = int(maxIter);
  return Job::Run(env, "computeBias", [=] {
    ComputeBias(nn_, tt, no, GtG.data, GtM.data, X.data, CCT.data, B.data, mi, tol, D.data);
    return Status::Ok();
  }, {GtG, GtM, X, CCT, B, D}, D.value);
}

}  // namespace

void RegisterTf(Napi::Env env, Napi::Object exports) {
  exports.Set("computeBiasAsync", Napi::Function::New(env, ComputeBiasAsync, "computeBiasAsync"));
}

}  // namespace mxne

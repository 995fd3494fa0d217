// N-API face of linalg.h: parse + validate once, then run sync or as a Job (Promise).
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "args.h"
#include "async.h"
#include "exports.h"
#include "linalg.h"

namespace mxne {
namespace {

constexpr int64_t kMaxDim = 2147483647;

struct GemmArgs {
  bool transA, transB;
  int64_t aRows, aCols, bRows, bCols;
  F64 A, B, C;
  double alpha, beta;
};

// gemm(transA, transB, aRows, aCols, A, bRows, bCols, B, alpha, beta, C) -> C
bool ParseGemm(const Napi::CallbackInfo& info, GemmArgs* g) {
  Napi::Env env = info.Env();
  size_t aLen, bLen, cLen;
  if (!ArgCount(info, 11) || !ArgBool(info, 0, "transA", &g->transA) || !ArgBool(info, 1, "transB", &g->transB) ||
      !ArgInt(info, 2, "aRows", 0, kMaxDim, &g->aRows) || !ArgInt(info, 3, "aCols", 0, kMaxDim, &g->aCols) ||
      !Size(env, "A", g->aRows, g->aCols, &aLen) || !ArgF64(info, 4, "A", aLen, &g->A) ||
      !ArgInt(info, 5, "bRows", 0, kMaxDim, &g->bRows) || !ArgInt(info, 6, "bCols", 0, kMaxDim, &g->bCols) ||
      !Size(env, "B", g->bRows, g->bCols, &bLen) || !ArgF64(info, 7, "B", bLen, &g->B) ||
      !ArgFinite(info, 8, "alpha", &g->alpha) || !ArgFinite(info, 9, "beta", &g->beta))
    return false;
  const int64_t m = g->transA ? g->aCols : g->aRows, k = g->transA ? g->aRows : g->aCols;
  const int64_t kb = g->transB ? g->bCols : g->bRows, n = g->transB ? g->bRows : g->bCols;
  if (k != kb) {
    Napi::RangeError::New(env, "Expected inner dimensions of op(A) and op(B) to agree but received " +
                                   std::to_string(k) + " and " + std::to_string(kb))
        .ThrowAsJavaScriptException();
    return false;
  }
  return Size(env, "C", m, n, &cLen) && ArgF64(info, 10, "C", cLen, &g->C) && Disjoint(env, g->A, "A", g->C, "C") &&
         Disjoint(env, g->B, "B", g->C, "C");
}

Job::Kernel GemmKernel(const GemmArgs& g) {
  return [g] {
    return Gemm(g.transA, g.transB, int(g.aRows), int(g.aCols), g.A.data, int(g.bRows), int(g.bCols), g.B.data,
                g.alpha, g.beta, g.C.data);
  };
}

Napi::Value GemmSync(const Napi::CallbackInfo& info) {
  GemmArgs g;
  if (!ParseGemm(info, &g)) return info.Env().Undefined();
  GemmKernel(g)();
  return Napi::Value(info.Env(), g.C.value);
}

Napi::Value GemmAsync(const Napi::CallbackInfo& info) {
  GemmArgs g;
  if (!ParseGemm(info, &g)) return info.Env().Undefined();
  return Job::Run(info.Env(), "gemm", GemmKernel(g), {g.A, g.B, g.C}, g.C.value);
}

struct GramArgs {
  bool trans;
  int64_t rows, cols;
  F64 A, out;
};

// gram(trans, rows, cols, A, out) -> out
bool ParseGram(const Napi::CallbackInfo& info, GramArgs* g) {
  Napi::Env env = info.Env();
  size_t aLen, outLen;
  if (!ArgCount(info, 5) || !ArgBool(info, 0, "trans", &g->trans) || !ArgInt(info, 1, "rows", 0, kMaxDim, &g->rows) ||
      !ArgInt(info, 2, "cols", 0, kMaxDim, &g->cols) || !Size(env, "A", g->rows, g->cols, &aLen) ||
      !ArgF64(info, 3, "A", aLen, &g->A))
    return false;
  const int64_t n = g->trans ? g->rows : g->cols;
  return Size(env, "out", n, n, &outLen) && ArgF64(info, 4, "out", outLen, &g->out) &&
         Disjoint(env, g->A, "A", g->out, "out");
}

Job::Kernel GramKernel(const GramArgs& g) {
  return [g] { return Gram(g.trans, int(g.rows), int(g.cols), g.A.data, g.out.data); };
}

Napi::Value GramSync(const Napi::CallbackInfo& info) {
  GramArgs g;
  if (!ParseGram(info, &g)) return info.Env().Undefined();
  GramKernel(g)();
  return Napi::Value(info.Env(), g.out.value);
}

Napi::Value GramAsync(const Napi::CallbackInfo& info) {
  GramArgs g;
  if (!ParseGram(info, &g)) return info.Env().Undefined();
  return Job::Run(info.Env(), "gram", GramKernel(g), {g.A, g.out}, g.out.value);
}

// gemmBlockAsync(m, n, k, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc) -> Promise<C>
// Each operand is the m x k (k x n, m x n) block starting at its offset with its leading dimension.
bool BlockFits(Napi::Env env, const char* name, const F64& a, int64_t off, int64_t ld, int64_t rows, int64_t cols) {
  if (ld < std::max<int64_t>(rows, 1))
    return ArgFail(env, std::string("Expected a leading dimension >= ") + std::to_string(rows) + " for " + name +
                            " but received " + std::to_string(ld));
  const int64_t end = rows == 0 || cols == 0 ? off : off + (cols - 1) * ld + rows;
  if (off < 0 || end > int64_t(a.length))
    return ArgFail(env, std::string("Expected the block of ") + name + " to end within its " + std::to_string(a.length) +
                            " elements but it ends at " + std::to_string(end));
  return true;
}

Napi::Value GemmBlockAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t m, n, k, offA, lda, offB, ldb, offC, ldc;
  double alpha, beta;
  F64 A, B, C;
  if (!ArgCount(info, 14) || !ArgInt(info, 0, "m", 0, kMaxDim, &m) || !ArgInt(info, 1, "n", 0, kMaxDim, &n) ||
      !ArgInt(info, 2, "k", 0, kMaxDim, &k) || !ArgFinite(info, 3, "alpha", &alpha) || !ArgInt(info, 5, "offA", 0, INT64_MAX / 2, &offA) ||
      !ArgInt(info, 6, "lda", 1, kMaxDim, &lda) || !ArgInt(info, 8, "offB", 0, INT64_MAX / 2, &offB) ||
      !ArgInt(info, 9, "ldb", 1, kMaxDim, &ldb) || !ArgFinite(info, 10, "beta", &beta) ||
      !ArgInt(info, 12, "offC", 0, INT64_MAX / 2, &offC) || !ArgInt(info, 13, "ldc", 1, kMaxDim, &ldc))
    return env.Undefined();
  // Lengths are checked against each block's extent below, so accept the arrays at their own size.
  napi_typedarray_type t;
  size_t lenA = 0, lenB = 0, lenC = 0;
  for (auto [i, len] : {std::pair<int, size_t*>{4, &lenA}, {7, &lenB}, {11, &lenC}}) {
    bool typed = false;
    napi_is_typedarray(env, info[i], &typed);
    if (!typed) { Napi::TypeError::New(env, "Expected Float64Array for operand " + std::to_string(i)).ThrowAsJavaScriptException(); return env.Undefined(); }
    napi_get_typedarray_info(env, info[i], &t, len, nullptr, nullptr, nullptr);
  }
  if (!ArgF64(info, 4, "A", lenA, &A) || !ArgF64(info, 7, "B", lenB, &B) || !ArgF64(info, 11, "C", lenC, &C) ||
      !BlockFits(env, "A", A, offA, lda, m, k) || !BlockFits(env, "B", B, offB, ldb, k, n) || !BlockFits(env, "C", C, offC, ldc, m, n) ||
      !Disjoint(env, A, "A", C, "C") || !Disjoint(env, B, "B", C, "C"))
    return env.Undefined();
  const int im = int(m), in = int(n), ik = int(k), ia = int(lda), ib = int(ldb), ic = int(ldc);
  const double* pa = A.data + offA;
  const double* pb = B.data + offB;
  double* pc = C.data + offC;
  return Job::Run(env, "gemmBlock", [=] { return GemmBlock(im, in, ik, alpha, pa, ia, pb, ib, beta, pc, ic); }, {A, B, C}, C.value);
}

}  // namespace

void RegisterLinalg(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New(env, GemmSync, "gemm"));
  exports.Set("gemmAsync", Napi::Function::New(env, GemmAsync, "gemmAsync"));
  exports.Set("gram", Napi::Function::New(env, GramSync, "gram"));
  exports.Set("gramAsync", Napi::Function::New(env, GramAsync, "gramAsync"));
  exports.Set("gemmBlockAsync", Napi::Function::New(env, GemmBlockAsync, "gemmBlockAsync"));
}

}  // namespace mxne

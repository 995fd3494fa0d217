// N-API face of decomp.h: parse + validate once (shapes, Float64Array lengths, finite inputs, no
// aliasing between inputs and outputs), then run sync or as a Job (Promise). Outputs are always
// passed in by the caller (lib/linalg/decomp.ts allocates them), so nothing is allocated here.
#include <napi.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <utility>

#include "args.h"
#include "async.h"
#include "decomp.h"
#include "exports.h"

namespace mxne {
namespace {

constexpr int64_t kMaxDim = 2147483647;

// Sync exports settle like the async ones: a failed kernel throws the ELAPACK/EKERNEL error.
Napi::Value Settle(Napi::Env env, const char* op, const Status& s, napi_value result) {
  if (!s.ok()) {
    ToError(env, op, s).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Value(env, result);
}

bool DisjointAll(Napi::Env env, std::initializer_list<std::pair<const F64*, const char*>> arrays) {
  for (auto a = arrays.begin(); a != arrays.end(); ++a)
    for (auto b = a + 1; b != arrays.end(); ++b)
      if (!Disjoint(env, *a->first, a->second, *b->first, b->second)) return false;
  return true;
}

// ---- eigh(n, A, w, V) -> V ------------------------------------------------------------------

struct EighArgs {
  int64_t n;
  F64 A, w, V;
};

bool ParseEigh(const Napi::CallbackInfo& info, EighArgs* a) {
  Napi::Env env = info.Env();
  size_t len;
  return ArgCount(info, 4) && ArgInt(info, 0, "n", 0, kMaxDim, &a->n) && Size(env, "A", a->n, a->n, &len) &&
         ArgF64Finite(info, 1, "A", len, &a->A) && ArgF64(info, 2, "w", size_t(a->n), &a->w) &&
         ArgF64(info, 3, "V", len, &a->V) && DisjointAll(env, {{&a->A, "A"}, {&a->w, "w"}, {&a->V, "V"}});
}

Job::Kernel EighKernel(const EighArgs& a) {
  return [a] { return Eigh(int(a.n), a.A.data, a.w.data, a.V.data); };
}

Napi::Value EighSync(const Napi::CallbackInfo& info) {
  EighArgs a;
  if (!ParseEigh(info, &a)) return info.Env().Undefined();
  return Settle(info.Env(), "eigh", EighKernel(a)(), a.V.value);
}

Napi::Value EighAsync(const Napi::CallbackInfo& info) {
  EighArgs a;
  if (!ParseEigh(info, &a)) return info.Env().Undefined();
  return Job::Run(info.Env(), "eigh", EighKernel(a), {a.A, a.w, a.V}, a.V.value);
}

// ---- svd(m, n, A, U, s, Vt) -> s; svdValuesAsync(m, n, A, s) -> Promise<s> --------------------

struct SvdArgs {
  int64_t m, n;
  F64 A, U, s, Vt;
};

bool ParseSvd(const Napi::CallbackInfo& info, SvdArgs* a) {
  Napi::Env env = info.Env();
  size_t aLen, uLen, vtLen;
  if (!ArgCount(info, 6) || !ArgInt(info, 0, "m", 0, kMaxDim, &a->m) || !ArgInt(info, 1, "n", 0, kMaxDim, &a->n) ||
      !Size(env, "A", a->m, a->n, &aLen) || !ArgF64Finite(info, 2, "A", aLen, &a->A))
    return false;
  const int64_t k = std::min(a->m, a->n);
  return Size(env, "U", a->m, k, &uLen) && ArgF64(info, 3, "U", uLen, &a->U) && ArgF64(info, 4, "s", size_t(k), &a->s) &&
         Size(env, "Vt", k, a->n, &vtLen) && ArgF64(info, 5, "Vt", vtLen, &a->Vt) &&
         DisjointAll(env, {{&a->A, "A"}, {&a->U, "U"}, {&a->s, "s"}, {&a->Vt, "Vt"}});
}

Job::Kernel SvdKernel(const SvdArgs& a) {
  return [a] { return Svd(int(a.m), int(a.n), a.A.data, a.U.data, a.s.data, a.Vt.data); };
}

Napi::Value SvdSync(const Napi::CallbackInfo& info) {
  SvdArgs a;
  if (!ParseSvd(info, &a)) return info.Env().Undefined();
  return Settle(info.Env(), "svd", SvdKernel(a)(), a.s.value);
}

Napi::Value SvdAsync(const Napi::CallbackInfo& info) {
  SvdArgs a;
  if (!ParseSvd(info, &a)) return info.Env().Undefined();
  return Job::Run(info.Env(), "svd", SvdKernel(a), {a.A, a.U, a.s, a.Vt}, a.s.value);
}

Napi::Value SvdValuesAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t m, n;
  size_t aLen;
  F64 A, s;
  if (!ArgCount(info, 4) || !ArgInt(info, 0, "m", 0, kMaxDim, &m) || !ArgInt(info, 1, "n", 0, kMaxDim, &n) ||
      !Size(env, "A", m, n, &aLen) || !ArgF64Finite(info, 2, "A", aLen, &A) ||
      !ArgF64(info, 3, "s", size_t(std::min(m, n)), &s) || !DisjointAll(env, {{&A, "A"}, {&s, "s"}}))
    return env.Undefined();
  const int im = int(m), in = int(n);
  return Job::Run(env, "svdValues", [=] { return SvdValues(im, in, A.data, s.data); }, {A, s}, s.value);
}

// ---- cholesky(n, A, L) -> L -------------------------------------------------------------------

struct CholeskyArgs {
  int64_t n;
  F64 A, L;
};

bool ParseCholesky(const Napi::CallbackInfo& info, CholeskyArgs* a) {
  Napi::Env env = info.Env();
  size_t len;
  return ArgCount(info, 3) && ArgInt(info, 0, "n", 0, kMaxDim, &a->n) && Size(env, "A", a->n, a->n, &len) &&
         ArgF64Finite(info, 1, "A", len, &a->A) && ArgF64(info, 2, "L", len, &a->L) &&
         Disjoint(env, a->A, "A", a->L, "L");
}

Napi::Value CholeskySync(const Napi::CallbackInfo& info) {
  CholeskyArgs a;
  if (!ParseCholesky(info, &a)) return info.Env().Undefined();
  return Settle(info.Env(), "cholesky", Cholesky(int(a.n), a.A.data, a.L.data), a.L.value);
}

// ---- solveSpd(n, nrhs, A, B, X) -> X --------------------------------------------------------

struct SolveSpdArgs {
  int64_t n, nrhs;
  F64 A, B, X;
};

bool ParseSolveSpd(const Napi::CallbackInfo& info, SolveSpdArgs* a) {
  Napi::Env env = info.Env();
  size_t aLen, bLen;
  return ArgCount(info, 5) && ArgInt(info, 0, "n", 0, kMaxDim, &a->n) &&
         ArgInt(info, 1, "nrhs", 0, kMaxDim, &a->nrhs) && Size(env, "A", a->n, a->n, &aLen) &&
         ArgF64Finite(info, 2, "A", aLen, &a->A) && Size(env, "B", a->n, a->nrhs, &bLen) &&
         ArgF64Finite(info, 3, "B", bLen, &a->B) && ArgF64(info, 4, "X", bLen, &a->X) &&
         Disjoint(env, a->A, "A", a->X, "X") && Disjoint(env, a->B, "B", a->X, "X");
}

Job::Kernel SolveSpdKernel(const SolveSpdArgs& a) {
  return [a] { return SolveSpd(int(a.n), int(a.nrhs), a.A.data, a.B.data, a.X.data); };
}

Napi::Value SolveSpdSync(const Napi::CallbackInfo& info) {
  SolveSpdArgs a;
  if (!ParseSolveSpd(info, &a)) return info.Env().Undefined();
  return Settle(info.Env(), "solveSpd", SolveSpdKernel(a)(), a.X.value);
}

Napi::Value SolveSpdAsync(const Napi::CallbackInfo& info) {
  SolveSpdArgs a;
  if (!ParseSolveSpd(info, &a)) return info.Env().Undefined();
  return Job::Run(info.Env(), "solveSpd", SolveSpdKernel(a), {a.A, a.B, a.X}, a.X.value);
}

// ---- lstsq(m, n, nrhs, A, B, rcond, X) -> X -----------------------------------------------------

struct LstsqArgs {
  int64_t m, n, nrhs;
  F64 A, B, X;
  double rcond;
};

bool ParseLstsq(const Napi::CallbackInfo& info, LstsqArgs* a) {
  Napi::Env env = info.Env();
  size_t aLen, bLen, xLen, work;
  return ArgCount(info, 7) && ArgInt(info, 0, "m", 0, kMaxDim, &a->m) && ArgInt(info, 1, "n", 0, kMaxDim, &a->n) &&
         ArgInt(info, 2, "nrhs", 0, kMaxDim, &a->nrhs) && Size(env, "A", a->m, a->n, &aLen) &&
         ArgF64Finite(info, 3, "A", aLen, &a->A) && Size(env, "B", a->m, a->nrhs, &bLen) &&
         ArgF64Finite(info, 4, "B", bLen, &a->B) && ArgFinite(info, 5, "rcond", &a->rcond) &&
         Size(env, "X", a->n, a->nrhs, &xLen) && ArgF64(info, 6, "X", xLen, &a->X) &&
         Size(env, "B", std::max(a->m, a->n), a->nrhs, &work) &&  // dgelsd's B holds max(m, n) rows
         Disjoint(env, a->A, "A", a->X, "X") && Disjoint(env, a->B, "B", a->X, "X");
}

Job::Kernel LstsqKernel(const LstsqArgs& a) {
  return [a] { return Lstsq(int(a.m), int(a.n), int(a.nrhs), a.A.data, a.B.data, a.rcond, a.X.data); };
}

Napi::Value LstsqSync(const Napi::CallbackInfo& info) {
  LstsqArgs a;
  if (!ParseLstsq(info, &a)) return info.Env().Undefined();
  return Settle(info.Env(), "lstsq", LstsqKernel(a)(), a.X.value);
}

Napi::Value LstsqAsync(const Napi::CallbackInfo& info) {
  LstsqArgs a;
  if (!ParseLstsq(info, &a)) return info.Env().Undefined();
  return Job::Run(info.Env(), "lstsq", LstsqKernel(a), {a.A, a.B, a.X}, a.X.value);
}

// ---- gemv(trans, rows, cols, A, x, alpha, beta, y) -> y --------------------------------------

struct GemvArgs {
  bool trans;
  int64_t rows, cols;
  F64 A, x, y;
  double alpha, beta;
};

bool ParseGemv(const Napi::CallbackInfo& info, GemvArgs* g) {
  Napi::Env env = info.Env();
  size_t aLen;
  if (!ArgCount(info, 8) || !ArgBool(info, 0, "trans", &g->trans) || !ArgInt(info, 1, "rows", 0, kMaxDim, &g->rows) ||
      !ArgInt(info, 2, "cols", 0, kMaxDim, &g->cols) || !Size(env, "A", g->rows, g->cols, &aLen) ||
      !ArgF64(info, 3, "A", aLen, &g->A))
    return false;
  const size_t nx = size_t(g->trans ? g->rows : g->cols), ny = size_t(g->trans ? g->cols : g->rows);
  return ArgF64(info, 4, "x", nx, &g->x) && ArgFinite(info, 5, "alpha", &g->alpha) &&
         ArgFinite(info, 6, "beta", &g->beta) && ArgF64(info, 7, "y", ny, &g->y) &&
         Disjoint(env, g->A, "A", g->y, "y") && Disjoint(env, g->x, "x", g->y, "y");
}

Napi::Value GemvSync(const Napi::CallbackInfo& info) {
  GemvArgs g;
  if (!ParseGemv(info, &g)) return info.Env().Undefined();
  const Status s = Gemv(g.trans, int(g.rows), int(g.cols), g.A.data, g.x.data, g.alpha, g.beta, g.y.data);
  return Settle(info.Env(), "gemv", s, g.y.value);
}

}  // namespace

void RegisterDecomp(Napi::Env env, Napi::Object exports) {
  exports.Set("eigh", Napi::Function::New(env, EighSync, "eigh"));
  exports.Set("eighAsync", Napi::Function::New(env, EighAsync, "eighAsync"));
  exports.Set("svd", Napi::Function::New(env, SvdSync, "svd"));
  exports.Set("svdAsync", Napi::Function::New(env, SvdAsync, "svdAsync"));
  exports.Set("svdValuesAsync", Napi::Function::New(env, SvdValuesAsync, "svdValuesAsync"));
  exports.Set("cholesky", Napi::Function::New(env, CholeskySync, "cholesky"));
  exports.Set("solveSpd", Napi::Function::New(env, SolveSpdSync, "solveSpd"));
  exports.Set("solveSpdAsync", Napi::Function::New(env, SolveSpdAsync, "solveSpdAsync"));
  exports.Set("lstsq", Napi::Function::New(env, LstsqSync, "lstsq"));
  exports.Set("lstsqAsync", Napi::Function::New(env, LstsqAsync, "lstsqAsync"));
  exports.Set("gemv", Napi::Function::New(env, GemvSync, "gemv"));
}

}  // namespace mxne

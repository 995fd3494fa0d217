// N-API face of solvers.h and of compute_bias, each a SolveJob (async.h) taking one options object:
//   l21InnerSolveAsync({ G, GtMt, m, n, T, cols, Xt, normM2, alpha, maxit, tol, nOrient, cd, dgapFreq, cancel? })
//     -> { E, gap, converged, epochs }; the solution is written into Xt (T x cols.length)
//   l21InnerSolve(same options): the same, inline (small solves)
//   sparseResidualAsync({ M, G, GtMt?, m, n, T, cols, Xt, R?, norms2?, GtRt?, nOrient, sumR2?, cancel? })
//     -> { normR2, xGtR }; R = M − G[:, cols]·X, and with norms2: GᵀR's block norms² (and GᵀR into GtRt);
//     sumR2 false: ‖R‖² known to the caller, not summed (normR2 NaN) (solvers.h)
//   sparseResidual(same options): the same, inline
//   computeBiasAsync({ M, GA, X, B, m, n, T, maxIter, tol, nOrient, cancel? })
//     -> { D, iterations, converged }
//   computeBias(same options): the same, inline (small active sets)
#include <napi.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "async.h"
#include "exports.h"
#include "kernels.h"
#include "solvers.h"

namespace mxne {
namespace {

constexpr int64_t kMaxDim = 2147483647;

Napi::Float64Array F64Of(Napi::Env env, const std::vector<double>& v) {
  Napi::Float64Array a = Napi::Float64Array::New(env, v.size());
  std::copy(v.begin(), v.end(), a.Data());
  return a;
}

// options.cols: an Int32Array of columns of an m x n matrix, ascending and in whole blocks of nOrient
// (the kernels address block j as columns j·nOrient … j·nOrient + nOrient − 1); n too must be a multiple.
bool ParseCols(Napi::Env env, const Napi::Object& o, int64_t n, int64_t no, Napi::Int32Array* out) {
  Napi::Value colsValue = o.Get("cols");
  if (!colsValue.IsTypedArray() || colsValue.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    Napi::TypeError::New(env, "Expected Int32Array for cols").ThrowAsJavaScriptException();
    return false;
  }
  Napi::Int32Array cols = colsValue.As<Napi::Int32Array>();
  const int a = int(cols.ElementLength());
  if (n % no != 0 || a % no != 0) return ArgFail(env, "Expected multiples of nOrient (" + std::to_string(no) + ") for n and cols.length but received " + std::to_string(n) + " and " + std::to_string(a));
  for (int j = 0; j < a; j++) {
    const int col = cols[j];
    const bool blockStart = j % no == 0 ? col % no == 0 : col == cols[j - 1] + 1;
    if (col < 0 || col >= n || (j > 0 && col <= cols[j - 1]) || !blockStart)
      return ArgFail(env, "Expected cols ascending, in [0, n) and in whole blocks of nOrient, but element " + std::to_string(j) + " is " + std::to_string(col));
  }
  *out = cols;
  return true;
}

// The parsed arguments of an inner solve; Xt is written in place.
struct InnerSolveCall {
  InnerSolveArgs args;
  Napi::Object options;
  F64 G, GtMt, Xt;
  Napi::Int32Array cols;
};

bool ParseInnerSolve(const Napi::CallbackInfo& info, InnerSolveCall* c) {
  Napi::Env env = info.Env();
  Napi::Object& o = c->options;
  int64_t m, n, T, maxit, no, dgap;
  double alpha, tol, normM2;
  bool cd;
  size_t mn;
  if (!ArgCount(info, 1) || !ArgObject(info, 0, "options", &o) || !ValInt(env, o.Get("m"), "m", 0, kMaxDim, &m) ||
      !ValInt(env, o.Get("n"), "n", 0, kMaxDim, &n) || !ValInt(env, o.Get("T"), "T", 0, kMaxDim, &T) ||
      !Size(env, "G", m, n, &mn) || !ValF64(env, o.Get("G"), "G", mn, &c->G) ||
      !ValF64(env, o.Get("GtMt"), "GtMt", size_t(T) * size_t(n), &c->GtMt) ||
      !ValFinite(env, o.Get("normM2"), "normM2", &normM2) || !ValFinite(env, o.Get("alpha"), "alpha", &alpha) ||
      !ValInt(env, o.Get("maxit"), "maxit", 1, kMaxDim, &maxit) || !ValFinite(env, o.Get("tol"), "tol", &tol) ||
      !ValInt(env, o.Get("nOrient"), "nOrient", 1, kMaxDim, &no) || !ValBool(env, o.Get("cd"), "cd", &cd) ||
      !ValInt(env, o.Get("dgapFreq"), "dgapFreq", 1, kMaxDim, &dgap))
    return false;
  if (!ParseCols(env, o, n, no, &c->cols)) return false;
  const int a = int(c->cols.ElementLength());
  // Only the columns solved on are read (a gain of 20,000 columns need not be scanned per active set).
  if (!ColumnsFinite(env, c->G, "G", size_t(m), c->cols.Data(), size_t(a)) ||
      !ColumnsFinite(env, c->GtMt, "GtMt", size_t(T), c->cols.Data(), size_t(a)))
    return false;
  if (!ValF64Finite(env, o.Get("Xt"), "Xt", size_t(T) * size_t(a), &c->Xt)) return false;
  if (cd && no != 1) return ArgFail(env, "Expected nOrient 1 for coordinate descent but received " + std::to_string(no));
  if (alpha < 0) return ArgFail(env, "Expected alpha >= 0 but received " + std::to_string(alpha));
  if (tol < 0) return ArgFail(env, "Expected tol >= 0 but received " + std::to_string(tol));
  c->args = InnerSolveArgs{int(m), int(n), int(T), c->G.data, c->GtMt.data, c->cols.Data(), a, normM2, alpha, tol, int(maxit), int(dgap), int(no), cd};
  return true;
}

struct InnerSolveOut {
  L21Outcome outcome;
  std::vector<double> E;
};

Napi::Value InnerSolveResult(Napi::Env env, const InnerSolveOut& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("E", F64Of(env, r.E));
  out.Set("gap", Napi::Number::New(env, r.outcome.gap));
  out.Set("converged", Napi::Boolean::New(env, r.outcome.converged));
  out.Set("epochs", Napi::Number::New(env, r.outcome.epochs));
  return out;
}

// l21InnerSolve: the same solve inline, for the small ones whose epochs cost less than a thread-pool
// round trip (the TypeScript caller bounds their work; nothing to cancel in that time).
Napi::Value L21InnerSolveSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  InnerSolveCall c;
  if (!ParseInnerSolve(info, &c)) return env.Undefined();
  InnerSolveOut r;
  const Status s = InnerSolve(c.args, Control{}, c.Xt.data, &r.outcome, &r.E);
  if (!s.ok()) {
    ToError(env, "l21InnerSolve", s).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return InnerSolveResult(env, r);
}

Napi::Value L21InnerSolveAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  InnerSolveCall c;
  if (!ParseInnerSolve(info, &c)) return env.Undefined();
  auto r = std::make_shared<InnerSolveOut>();
  const InnerSolveArgs args = c.args;
  double* XtData = c.Xt.data;
  return SolveJob::Run(
      env, "l21InnerSolve", c.options, {c.G.value, c.GtMt.value, c.Xt.value, c.cols},
      [=](const Control& control) { return InnerSolve(args, control, XtData, &r->outcome, &r->E); },
      [r](Napi::Env env) -> Napi::Value { return InnerSolveResult(env, *r); });
}

// The parsed arguments of a residual; R (and GtRt, norms2) are written in place.
struct ResidualCall {
  ResidualArgs args;
  Napi::Object options;
  F64 M, G, GtMt, Xt, R, GtRt, norms2;
  Napi::Int32Array cols;
};

bool ParseResidual(const Napi::CallbackInfo& info, ResidualCall* c) {
  Napi::Env env = info.Env();
  Napi::Object& o = c->options;
  int64_t m, n, T, no;
  size_t mT, mn;
  // M's, G's and GtMt's values are checked through the sums the kernel forms (a non-finite input
  // makes one of them non-finite; the kernel then names the element, a RangeError): a scan of a
  // whole gain before every residual would cost as much as the residual.
  if (!ArgCount(info, 1) || !ArgObject(info, 0, "options", &o) || !ValInt(env, o.Get("m"), "m", 0, kMaxDim, &m) ||
      !ValInt(env, o.Get("n"), "n", 0, kMaxDim, &n) || !ValInt(env, o.Get("T"), "T", 0, kMaxDim, &T) ||
      !ValInt(env, o.Get("nOrient"), "nOrient", 1, kMaxDim, &no) || !Size(env, "M", m, T, &mT) ||
      !ValF64(env, o.Get("M"), "M", mT, &c->M) || !Size(env, "G", m, n, &mn) || !ValF64(env, o.Get("G"), "G", mn, &c->G) ||
      !ParseCols(env, o, n, no, &c->cols))
    return false;
  const int a = int(c->cols.ElementLength());
  if (!o.Get("R").IsUndefined() && !ValF64(env, o.Get("R"), "R", mT, &c->R)) return false;
  if (!ValF64Finite(env, o.Get("Xt"), "Xt", size_t(T) * size_t(a), &c->Xt)) return false;
  const size_t Tn = size_t(T) * size_t(n);
  const bool correlate = !o.Get("norms2").IsUndefined();
  if (correlate && (!ValF64(env, o.Get("norms2"), "norms2", size_t(n / no), &c->norms2) ||
                    (!o.Get("GtRt").IsUndefined() && !ValF64(env, o.Get("GtRt"), "GtRt", Tn, &c->GtRt))))
    return false;
  if (!o.Get("GtMt").IsUndefined() && !ValF64(env, o.Get("GtMt"), "GtMt", Tn, &c->GtMt)) return false;
  if (!Disjoint(env, c->R, "R", c->M, "M") || !Disjoint(env, c->R, "R", c->G, "G") || !Disjoint(env, c->R, "R", c->Xt, "Xt") ||
      (correlate && (!Disjoint(env, c->GtRt, "GtRt", c->G, "G") || !Disjoint(env, c->GtRt, "GtRt", c->R, "R") ||
                     !Disjoint(env, c->GtRt, "GtRt", c->Xt, "Xt") || !Disjoint(env, c->GtRt, "GtRt", c->GtMt, "GtMt"))))
    return false;
  bool sumR2 = true;
  if (!o.Get("sumR2").IsUndefined() && !ValBool(env, o.Get("sumR2"), "sumR2", &sumR2)) return false;
  c->args = ResidualArgs{int(m), int(n), int(T), c->M.data, c->G.data, c->GtMt.data, c->cols.Data(), a, c->Xt.data, int(no), sumR2};
  return true;
}

Status RunResidual(const ResidualCall& c, ResidualOut* r) {
  return SparseResidual(c.args, c.R.data, c.GtRt.data, c.norms2.data, r);
}

Napi::Value ResidualResult(Napi::Env env, const ResidualOut& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("normR2", Napi::Number::New(env, r.normR2));
  out.Set("xGtR", Napi::Number::New(env, r.xGtR));
  return out;
}

// sparseResidual: inline, for residuals that cost less than a thread-pool round trip (the caller decides).
Napi::Value SparseResidualSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ResidualCall c;
  if (!ParseResidual(info, &c)) return env.Undefined();
  ResidualOut r;
  const Status s = RunResidual(c, &r);
  if (!s.ok()) {
    ToError(env, "sparseResidual", s).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return ResidualResult(env, r);
}

Napi::Value SparseResidualAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ResidualCall c;
  if (!ParseResidual(info, &c)) return env.Undefined();
  auto r = std::make_shared<ResidualOut>();
  std::vector<napi_value> keep{c.M.value, c.G.value, c.Xt.value, c.cols};
  for (const F64* a : {&c.R, &c.GtMt, &c.GtRt, &c.norms2})
    if (a->data != nullptr) keep.push_back(a->value);
  return SolveJob::Run(
      env, "sparseResidual", c.options, keep, [c, r](const Control&) { return RunResidual(c, r.get()); },
      [r](Napi::Env env) -> Napi::Value { return ResidualResult(env, *r); });
}

struct ComputeBiasCall {
  F64 M, GA, X, B;
  int m, n, T, maxIter, nOrient;
  double tol;
};

bool ParseComputeBias(const Napi::CallbackInfo& info, Napi::Object* options, ComputeBiasCall* c) {
  Napi::Env env = info.Env();
  Napi::Object& o = *options;
  int64_t m, n, T, maxIter, no;
  size_t mT, mn, nT, nn;
  if (!ArgCount(info, 1) || !ArgObject(info, 0, "options", &o) || !ValInt(env, o.Get("m"), "m", 0, kMaxDim, &m) ||
      !ValInt(env, o.Get("n"), "n", 0, kMaxDim, &n) || !ValInt(env, o.Get("T"), "T", 0, kMaxDim, &T) ||
      !Size(env, "M", m, T, &mT) || !ValF64Finite(env, o.Get("M"), "M", mT, &c->M) || !Size(env, "GA", m, n, &mn) ||
      !ValF64Finite(env, o.Get("GA"), "GA", mn, &c->GA) || !Size(env, "X", n, T, &nT) || !ValF64Finite(env, o.Get("X"), "X", nT, &c->X) ||
      !Size(env, "B", n, n, &nn) || !ValF64Finite(env, o.Get("B"), "B", nn, &c->B) ||
      !ValInt(env, o.Get("maxIter"), "maxIter", 0, kMaxDim, &maxIter) || !ValFinite(env, o.Get("tol"), "tol", &c->tol) ||
      !ValInt(env, o.Get("nOrient"), "nOrient", 1, kMaxDim, &no))
    return false;
  if (n % no != 0) return ArgFail(env, "Expected a multiple of nOrient (" + std::to_string(no) + ") for n but received " + std::to_string(n));
  c->m = int(m), c->n = int(n), c->T = int(T), c->maxIter = int(maxIter), c->nOrient = int(no);
  return true;
}

struct ComputeBiasOut {
  std::vector<double> D;
  int iterations = 0;
  bool converged = false;
};

Status RunComputeBias(const ComputeBiasCall& c, const Control& control, ComputeBiasOut* r) {
  r->D.assign(size_t(c.n), 1.0);
  return ComputeBiasFromData(c.m, c.n, c.T, c.M.data, c.GA.data, c.X.data, c.B.data, c.maxIter, c.tol, c.nOrient, control, r->D.data(),
                             &r->iterations, &r->converged);
}

Napi::Value ComputeBiasResult(Napi::Env env, const ComputeBiasOut& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("D", F64Of(env, r.D));
  out.Set("iterations", Napi::Number::New(env, r.iterations));
  out.Set("converged", Napi::Boolean::New(env, r.converged));
  return out;
}

// computeBias: the same inline, for active sets so small that its whole work is bounded below a
// thread-pool round trip's worth (the TypeScript caller decides).
Napi::Value ComputeBiasSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o;
  ComputeBiasCall c;
  if (!ParseComputeBias(info, &o, &c)) return env.Undefined();
  ComputeBiasOut r;
  const Status s = RunComputeBias(c, Control{}, &r);
  if (!s.ok()) {
    ToError(env, "computeBias", s).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return ComputeBiasResult(env, r);
}

Napi::Value ComputeBiasAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o;
  ComputeBiasCall c;
  if (!ParseComputeBias(info, &o, &c)) return env.Undefined();
  auto r = std::make_shared<ComputeBiasOut>();
  return SolveJob::Run(
      env, "computeBias", o, {c.M.value, c.GA.value, c.X.value, c.B.value},
      [c, r](const Control& control) { return RunComputeBias(c, control, r.get()); },
      [r](Napi::Env env) -> Napi::Value { return ComputeBiasResult(env, *r); });
}

}  // namespace

void RegisterSolvers(Napi::Env env, Napi::Object exports) {
  exports.Set("l21InnerSolve", Napi::Function::New(env, L21InnerSolveSync, "l21InnerSolve"));
  exports.Set("l21InnerSolveAsync", Napi::Function::New(env, L21InnerSolveAsync, "l21InnerSolveAsync"));
  exports.Set("sparseResidual", Napi::Function::New(env, SparseResidualSync, "sparseResidual"));
  exports.Set("sparseResidualAsync", Napi::Function::New(env, SparseResidualAsync, "sparseResidualAsync"));
  exports.Set("computeBias", Napi::Function::New(env, ComputeBiasSync, "computeBias"));
  exports.Set("computeBiasAsync", Napi::Function::New(env, ComputeBiasAsync, "computeBiasAsync"));
}

}  // namespace mxne

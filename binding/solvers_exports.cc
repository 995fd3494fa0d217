// N-API face of solvers.h and of compute_bias, each a SolveJob (async.h) taking one options object:
//   l21InnerSolveAsync({ G, GtMt, m, n, T, cols, Xt, normM2, alpha, maxit, tol, nOrient, cd, dgapFreq, cancel? })
//     -> { E, gap, converged, epochs }; the solution is written into Xt (T x cols.length)
//   l21InnerSolve(same options): the same, inline (small solves)
//   computeBiasAsync({ M, GA, X, B, m, n, T, maxIter, tol, nOrient, cancel? })
//     -> { D, iterations, converged }
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
      !Size(env, "G", m, n, &mn) || !ValF64Finite(env, o.Get("G"), "G", mn, &c->G) ||
      !ValF64Finite(env, o.Get("GtMt"), "GtMt", size_t(T) * size_t(n), &c->GtMt) ||
      !ValFinite(env, o.Get("normM2"), "normM2", &normM2) || !ValFinite(env, o.Get("alpha"), "alpha", &alpha) ||
      !ValInt(env, o.Get("maxit"), "maxit", 1, kMaxDim, &maxit) || !ValFinite(env, o.Get("tol"), "tol", &tol) ||
      !ValInt(env, o.Get("nOrient"), "nOrient", 1, kMaxDim, &no) || !ValBool(env, o.Get("cd"), "cd", &cd) ||
      !ValInt(env, o.Get("dgapFreq"), "dgapFreq", 1, kMaxDim, &dgap))
    return false;
  Napi::Value colsValue = o.Get("cols");
  if (!colsValue.IsTypedArray() || colsValue.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    Napi::TypeError::New(env, "Expected Int32Array for cols").ThrowAsJavaScriptException();
    return false;
  }
  c->cols = colsValue.As<Napi::Int32Array>();
  const int a = int(c->cols.ElementLength());
  if (n % no != 0 || a % no != 0) return ArgFail(env, "Expected multiples of nOrient (" + std::to_string(no) + ") for n and cols.length but received " + std::to_string(n) + " and " + std::to_string(a));
  for (int j = 0; j < a; j++) {
    const int col = c->cols[j];
    // Whole blocks, ascending: the kernels address block j as columns j·nOrient … j·nOrient + nOrient − 1.
    const bool blockStart = j % no == 0 ? col % no == 0 : col == c->cols[j - 1] + 1;
    if (col < 0 || col >= n || (j > 0 && col <= c->cols[j - 1]) || !blockStart)
      return ArgFail(env, "Expected cols ascending, in [0, n) and in whole blocks of nOrient, but element " + std::to_string(j) + " is " + std::to_string(col));
  }
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

Napi::Value ComputeBiasAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o;
  int64_t m, n, T, maxIter, no;
  double tol;
  F64 M, GA, X, B;
  size_t mT, mn, nT, nn;
  if (!ArgCount(info, 1) || !ArgObject(info, 0, "options", &o) || !ValInt(env, o.Get("m"), "m", 0, kMaxDim, &m) ||
      !ValInt(env, o.Get("n"), "n", 0, kMaxDim, &n) || !ValInt(env, o.Get("T"), "T", 0, kMaxDim, &T) ||
      !Size(env, "M", m, T, &mT) || !ValF64Finite(env, o.Get("M"), "M", mT, &M) || !Size(env, "GA", m, n, &mn) ||
      !ValF64Finite(env, o.Get("GA"), "GA", mn, &GA) || !Size(env, "X", n, T, &nT) || !ValF64Finite(env, o.Get("X"), "X", nT, &X) ||
      !Size(env, "B", n, n, &nn) || !ValF64Finite(env, o.Get("B"), "B", nn, &B) ||
      !ValInt(env, o.Get("maxIter"), "maxIter", 0, kMaxDim, &maxIter) || !ValFinite(env, o.Get("tol"), "tol", &tol) ||
      !ValInt(env, o.Get("nOrient"), "nOrient", 1, kMaxDim, &no))
    return env.Undefined();
  if (n % no != 0) return ArgFail(env, "Expected a multiple of nOrient (" + std::to_string(no) + ") for n but received " + std::to_string(n)), env.Undefined();
  struct Out { std::vector<double> D; int iterations = 0; bool converged = false; };
  auto r = std::make_shared<Out>();
  r->D.assign(size_t(n), 1.0);
  const int mi = int(m), ni = int(n), Ti = int(T), it = int(maxIter), nOrient = int(no);
  const double *Md = M.data, *Gd = GA.data, *Xd = X.data, *Bd = B.data;
  return SolveJob::Run(
      env, "computeBias", o, {M.value, GA.value, X.value, B.value},
      [=](const Control& control) {
        return ComputeBiasFromData(mi, ni, Ti, Md, Gd, Xd, Bd, it, tol, nOrient, control, r->D.data(), &r->iterations, &r->converged);
      },
      [r](Napi::Env env) -> Napi::Value {
        Napi::Object out = Napi::Object::New(env);
        out.Set("D", F64Of(env, r->D));
        out.Set("iterations", Napi::Number::New(env, r->iterations));
        out.Set("converged", Napi::Boolean::New(env, r->converged));
        return out;
      });
}

}  // namespace

void RegisterSolvers(Napi::Env env, Napi::Object exports) {
  exports.Set("l21InnerSolve", Napi::Function::New(env, L21InnerSolveSync, "l21InnerSolve"));
  exports.Set("l21InnerSolveAsync", Napi::Function::New(env, L21InnerSolveAsync, "l21InnerSolveAsync"));
  exports.Set("computeBiasAsync", Napi::Function::New(env, ComputeBiasAsync, "computeBiasAsync"));
}

}  // namespace mxne

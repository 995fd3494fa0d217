#include "args.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <string>

namespace mxne {
namespace {

const char* TypedArrayName(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: break;
  }
  return "TypedArray";
}

std::string Received(Napi::Value v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsNumber()) return "number";
  if (v.IsString()) return "string";
  if (v.IsBoolean()) return "boolean";
  if (v.IsArray()) return "Array";
  return "object";
}

bool TypeErr(Napi::Env env, const std::string& msg) {
  Napi::TypeError::New(env, msg).ThrowAsJavaScriptException();
  return false;
}

bool RangeErr(Napi::Env env, const std::string& msg) {
  Napi::RangeError::New(env, msg).ThrowAsJavaScriptException();
  return false;
}

}  // namespace

bool ArgFail(Napi::Env env, const std::string& message) { return RangeErr(env, message); }

bool ArgCount(const Napi::CallbackInfo& info, size_t expected) {
  if (info.Length() == expected) return true;
  return TypeErr(info.Env(), "Expected " + std::to_string(expected) + " arguments but received " +
                                 std::to_string(info.Length()));
}

bool ValF64(Napi::Env env, Napi::Value value, const char* name, size_t length, F64* out) {
  napi_value v = value;
  bool isTyped = false;
  napi_is_typedarray(env, v, &isTyped);
  std::string want = "Expected Float64Array of length " + std::to_string(length) + " for " + name;
  if (!isTyped) return TypeErr(env, want + " but received " + Received(value));
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_get_typedarray_info(env, v, &type, &len, &data, nullptr, nullptr);
  if (type != napi_float64_array)
    return TypeErr(env, want + " but received " + TypedArrayName(type) + " of length " + std::to_string(len));
  if (len != length)
    return RangeErr(env, want + " but received Float64Array of length " + std::to_string(len));
  out->data = static_cast<double*>(data);
  out->length = len;
  out->value = v;
  return true;
}

bool ArgU8(const Napi::CallbackInfo& info, size_t i, const char* name, size_t minLength, U8* out) {
  Napi::Env env = info.Env();
  napi_value v = info[i];
  bool isTyped = false;
  napi_is_typedarray(env, v, &isTyped);
  std::string want = "Expected Uint8Array of at least " + std::to_string(minLength) + " bytes for " + name;
  if (!isTyped) return TypeErr(env, want + " but received " + Received(info[i]));
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_get_typedarray_info(env, v, &type, &len, &data, nullptr, nullptr);
  if (type != napi_uint8_array) return TypeErr(env, want + " but received " + TypedArrayName(type));
  if (len < minLength) return RangeErr(env, want + " but received " + std::to_string(len) + " bytes");
  out->data = static_cast<const uint8_t*>(data);
  out->length = len;
  out->value = v;
  return true;
}

// Index of the first non-finite value of d[0..n), n if none. A double is non-finite when its 11
// exponent bits are all ones; adding 1 at the exponent's lowest bit then carries into the sign
// bit. That and/add/or runs over a chunk without a branch per element (the compiler vectorises it),
// so a gain of a million values is scanned at memory speed; the element is looked for only on failure.
size_t FirstNonFinite(const double* d, size_t n) {
  constexpr uint64_t kExponent = 0x7ff0000000000000ull, kExponentOne = 0x0010000000000000ull;
  constexpr size_t kChunk = 1024;
  for (size_t s = 0; s < n; s += kChunk) {
    const size_t e = std::min(n, s + kChunk);
    uint64_t carry = 0;
    for (size_t k = s; k < e; k++) {
      uint64_t bits;
      std::memcpy(&bits, d + k, sizeof bits);
      carry |= (bits & kExponent) + kExponentOne;
    }
    if (carry >> 63)
      for (size_t k = s; k < e; k++)
        if (!std::isfinite(d[k])) return k;
  }
  return n;
}

bool ValF64Finite(Napi::Env env, Napi::Value value, const char* name, size_t length, F64* out) {
  return ValF64(env, value, name, length, out) && ColumnsFinite(env, *out, name, out->length, nullptr, 1);
}

bool ColumnsFinite(Napi::Env env, const F64& a, const char* name, size_t rows, const int32_t* cols, size_t n) {
  for (size_t j = 0; j < n; j++) {
    const size_t off = (cols == nullptr ? j : size_t(cols[j])) * rows, k = off + FirstNonFinite(a.data + off, rows);
    if (k < off + rows)
      return RangeErr(env, std::string("Expected finite values in ") + name + " but element " + std::to_string(k) + " is " +
                               std::to_string(a.data[k]));
  }
  return true;
}

bool ValInt(Napi::Env env, Napi::Value v, const char* name, int64_t lo, int64_t hi, int64_t* out) {
  std::string want = std::string("Expected integer between ") + std::to_string(lo) + " and " +
                     std::to_string(hi) + " for " + name;
  if (!v.IsNumber()) return TypeErr(env, want + " but received " + Received(v));
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(lo) || d > static_cast<double>(hi))
    return RangeErr(env, want + " but received " + std::to_string(d));
  *out = static_cast<int64_t>(d);
  return true;
}

bool ValBool(Napi::Env env, Napi::Value v, const char* name, bool* out) {
  if (!v.IsBoolean())
    return TypeErr(env, std::string("Expected boolean for ") + name + " but received " + Received(v));
  *out = v.As<Napi::Boolean>().Value();
  return true;
}

bool ValFinite(Napi::Env env, Napi::Value v, const char* name, double* out) {
  if (!v.IsNumber())
    return TypeErr(env, std::string("Expected finite number for ") + name + " but received " + Received(v));
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d))
    return RangeErr(env, std::string("Expected finite number for ") + name + " but received " + std::to_string(d));
  *out = d;
  return true;
}

bool ArgF64(const Napi::CallbackInfo& info, size_t i, const char* name, size_t length, F64* out) {
  return ValF64(info.Env(), info[i], name, length, out);
}
bool ArgF64Finite(const Napi::CallbackInfo& info, size_t i, const char* name, size_t length, F64* out) {
  return ValF64Finite(info.Env(), info[i], name, length, out);
}
bool ArgInt(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t lo, int64_t hi, int64_t* out) {
  return ValInt(info.Env(), info[i], name, lo, hi, out);
}
bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* name, bool* out) {
  return ValBool(info.Env(), info[i], name, out);
}
bool ArgFinite(const Napi::CallbackInfo& info, size_t i, const char* name, double* out) {
  return ValFinite(info.Env(), info[i], name, out);
}

bool ArgObject(const Napi::CallbackInfo& info, size_t i, const char* name, Napi::Object* out) {
  if (!info[i].IsObject() || info[i].IsArray() || info[i].IsTypedArray())
    return TypeErr(info.Env(), std::string("Expected object for ") + name + " but received " + Received(info[i]));
  *out = info[i].As<Napi::Object>();
  return true;
}

bool ValInt32Array(Napi::Env env, Napi::Value value, const char* name, size_t length, int32_t** out, napi_value* keep) {
  bool isTyped = false;
  napi_is_typedarray(env, value, &isTyped);
  std::string want = "Expected Int32Array of length " + std::to_string(length) + " for " + name;
  if (!isTyped) return TypeErr(env, want + " but received " + Received(value));
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_get_typedarray_info(env, value, &type, &len, &data, nullptr, nullptr);
  if (type != napi_int32_array) return TypeErr(env, want + " but received " + TypedArrayName(type));
  if (len != length) return RangeErr(env, want + " but received Int32Array of length " + std::to_string(len));
  *out = static_cast<int32_t*>(data);
  *keep = value;
  return true;
}

bool Size(Napi::Env env, const char* name, int64_t rows, int64_t cols, size_t* out) {
  if (rows > INT_MAX || cols > INT_MAX || (cols > 0 && rows > INT64_MAX / cols))
    return RangeErr(env, std::string("Matrix ") + name + " of " + std::to_string(rows) + "x" + std::to_string(cols) +
                             " exceeds the BLAS size limit");
  *out = static_cast<size_t>(rows * cols);
  return true;
}

bool Disjoint(Napi::Env env, const F64& a, const char* aName, const F64& b, const char* bName) {
  const double* a0 = a.data;
  const double* b0 = b.data;
  if (a.length == 0 || b.length == 0 || a0 + a.length <= b0 || b0 + b.length <= a0) return true;
  return RangeErr(env, std::string("Expected ") + aName + " and " + bName + " not to share memory");
}

}  // namespace mxne

#include "status.h"

namespace mxne {

Status Status::Lapack(const char* routine, int info) {
  if (info == 0) return Ok();
  std::string what = info < 0 ? "illegal value in argument " + std::to_string(-info)
                              : "did not converge or matrix is singular/not positive definite (info " +
                                    std::to_string(info) + ")";
  return Status{info, std::string(routine) + ": " + what};
}

Napi::Error ToError(Napi::Env env, const std::string& op, const Status& s) {
  if (s.info == -3) return Napi::RangeError::New(env, op + ": " + s.message);
  Napi::Error e = Napi::Error::New(env, op + ": " + s.message);
  e.Set("code", Napi::String::New(env, s.info == -2 ? "EABORT" : s.info == -1 ? "EKERNEL" : "ELAPACK"));
  e.Set("op", Napi::String::New(env, op));
  e.Set("info", Napi::Number::New(env, s.info));
  return e;
}

}  // namespace mxne

// The field lists of every struct a fact file holds: one `fields` function per struct, shared by
// the encoder, the decoder, the schema hash and the tests, so a field is written, read, hashed and
// checked from one line.
//
// ADDING A FIELD to a struct of Model.h, Finding.h or Facts.h: add one `v(x.newField);` line to
// that struct's function below (`v.path(...)` for a file path, `v.file(...)` for an interned
// model::Loc file index). A new struct type needs a new `fields` function of the same shape.
// Forgetting either fails to compile (a struct without `fields`) or fails
// checkers.FactsSerialization.EveryFieldIsSerialised (a member missing from the list).
//
// A visitor V has `static constexpr bool kReads` (true: it fills the object), `v(field)` for any
// field, `v.file(index)` and `v.path(string)`. Obj<V, T> is T for readers and const T for the
// rest, so one list serves both directions without casts.
#pragma once

#include "engine/Model.h"
#include "threadcheck/checkers/Facts.h"
#include "threadcheck/checkers/Finding.h"

#include <type_traits>

namespace threadcheck::checkers::facts_io {

template <class V, class T> using Obj = std::conditional_t<V::kReads, T, const T>;

// Finding.h

template <class V> void fields(V& v, Obj<V, Location>& x) {
  v.path(x.file);
  v(x.line);
  v(x.column);
}

template <class V> void fields(V& v, Obj<V, Note>& x) {
  v(x.loc);
  v(x.message);
  v(x.flow);
}

template <class V> void fields(V& v, Obj<V, Replacement>& x) {
  v.path(x.file);
  v(x.offset);
  v(x.length);
  v(x.text);
}

template <class V> void fields(V& v, Obj<V, Fix>& x) {
  v(x.description);
  v(x.replacements);
}

template <class V> void fields(V& v, Obj<V, Finding>& x) {
  v(x.checkId);
  v(x.loc);
  v(x.message);
  v(x.notes);
  v(x.function);
  v(x.fix);
}

// Model.h

template <class V> void fields(V& v, Obj<V, model::Loc>& x) {
  v.file(x.file);
  v(x.line);
  v(x.col);
}

template <class V> void fields(V& v, Obj<V, model::ObjRef>& x) {
  v(x.key);
  v(x.display);
  v(x.declKey);
  v(x.orderKey);
  v(x.typeName);
  v(x.recursion);
  v(x.precise);
  v(x.local);
  v(x.staticLocal);
}

template <class V> void fields(V& v, Obj<V, model::Value>& x) {
  v(x.kind);
  v(x.constant);
  v(x.atom);
  v(x.testEquals);
}

template <class V> void fields(V& v, Obj<V, model::Capture>& x) {
  v(x.what);
  v(x.loc);
}

template <class V> void fields(V& v, Obj<V, model::Event>& x) {
  v(x.kind);
  v(x.loc);
  v(x.locks);
  v(x.mode);
  v(x.guard);
  v(x.guard2);
  v(x.guards);
  v(x.guardMode);
  v(x.sym);
  v(x.successValue);
  v(x.callee);
  v(x.calleeName);
  v(x.args);
  v(x.argConsts);
  v(x.thisArg);
  v(x.mayThrow);
  v(x.resultGuard);
  v(x.callbacks);
  v(x.lockableOp);
  v(x.inTry);
  v(x.handlers);
  v(x.what);
  v(x.releasedGuard);
  v(x.sleep);
  v(x.var);
  v(x.value);
  v(x.threadMode);
  v(x.autoJoin);
  v(x.handle);
  v(x.detached);
  v(x.self);
  v(x.moved);
  v(x.captures);
  v(x.knownThrowing);
  v(x.catchAll);
  v(x.catchStd);
  v(x.guardDtor);
  v(x.destructor);
}

template <class V> void fields(V& v, Obj<V, model::Block>& x) {
  v(x.events);
  v(x.succs);
  v(x.cond);
  v(x.condText);
  v(x.switchAtom);
  v(x.caseValues);
  v(x.condLoc);
  v(x.jump);
  v(x.jumpLoc);
  v(x.noReturn);
  v(x.isHandler);
}

template <class V> void fields(V& v, Obj<V, model::FunctionModel>& x) {
  v(x.id);
  v(x.name);
  v(x.loc);
  v(x.endLoc);
  v(x.blocks);
  v(x.entry);
  v(x.exit);
  v(x.paramNames);
  v(x.paramAtoms);
  v(x.isMain);
  v(x.returnsBool);
  v(x.returnsPointer);
  v(x.isConstructor);
  v(x.noexceptSpec);
  v(x.exceptionsEnabled);
  v(x.atomVars);
}

template <class V> void fields(V& v, Obj<V, model::LockInitFact>& x) {
  v(x.declKey);
  v(x.recursion);
}

// Facts.h

template <class V> void fields(V& v, Obj<V, PreparedFix>& x) {
  v(x.checkId);
  v(x.anchor);
  v(x.fix);
}

template <class V> void fields(V& v, Obj<V, ConditionWaitFact>& x) {
  v(x.condition);
  v(x.conditionText);
  v(x.mutex);
  v(x.mutexText);
  v(x.loc);
  v(x.function);
}

template <class V> void fields(V& v, Obj<V, WaitWrapperFact>& x) {
  v(x.function);
  v(x.name);
  v(x.wait);
  v(x.waitText);
  v(x.timed);
}

template <class V> void fields(V& v, Obj<V, WaitCallFact>& x) {
  v(x.callee);
  v(x.calleeText);
  v(x.loc);
  v(x.function);
  v(x.deferTo);
  v(x.deferName);
  v(x.why);
  v(x.guardedInLoop);
  v(x.fix);
}

template <class V> void fields(V& v, Obj<V, TranslationUnitFacts>& x) {
  v.path(x.mainFile);
  v(x.localFindings);
  v(x.functions);
  v(x.lockInits);
  v(x.preparedFixes);
  v(x.conditionWaits);
  v(x.waitWrappers);
  v(x.waitCalls);
}

} // namespace threadcheck::checkers::facts_io

// Building blocks for fixes: replacements made from source ranges while the AST is alive, the
// text of a range, the statements a fix must not disturb, and local names that clash with
// nothing the code around them uses. A fix is only offered when every piece of it is certain,
// so each helper returns nothing where the source is not plain text in one file (macros).
#pragma once

#include "threadcheck/checkers/Finding.h"

#include <clang/AST/Stmt.h>
#include <clang/Basic/SourceLocation.h>
#include <optional>
#include <set>
#include <string>

namespace clang {
class ASTContext;
class Decl;
class FunctionDecl;
class IdentifierInfo;
class ValueDecl;
} // namespace clang

namespace threadcheck::checkers::fixes {

// `range` replaced by `text`; nothing when the range is invalid or starts or ends in a macro.
std::optional<Replacement> replace(clang::ASTContext& ctx, clang::CharSourceRange range,
                                   std::string text);

// The characters [begin, end) of one file, both file locations; nothing in macros.
std::optional<std::string> text(clang::ASTContext& ctx, clang::SourceLocation begin,
                                clang::SourceLocation end);

// The location just past the token at `loc`.
clang::SourceLocation endOfToken(clang::ASTContext& ctx, clang::SourceLocation loc);

// Where the ';' is when it is the first token after the token at `loc`.
std::optional<clang::SourceLocation> semicolonAfter(clang::ASTContext& ctx,
                                                    clang::SourceLocation loc);

// The whitespace at the start of the line holding `loc`.
std::string indentation(clang::ASTContext& ctx, clang::SourceLocation loc);

// Where a finding about `loc` is reported (the form of Finding::loc), to match prepared fixes.
Location anchor(clang::ASTContext& ctx, clang::SourceLocation loc);

// Every name a new local inside `fn` could clash with or shadow: each unqualified identifier
// spelled in its source (names after '.', '->' and '::' cannot be captured by a local) and each
// name declared or referenced in its AST, which sees into macro expansions. Lambdas and local
// classes count as part of the function that holds them.
std::set<std::string> namesUsedIn(clang::ASTContext& ctx, const clang::FunctionDecl* fn);

// The identifier `name` if the unit has seen it.
clang::IdentifierInfo* knownIdentifier(clang::ASTContext& ctx, llvm::StringRef name);

// Whether the unit declares std::`name` (in std or, as libc++ does, an inline namespace of it).
bool declaredInStd(clang::ASTContext& ctx, llvm::StringRef name);

// The first of "lock", "guard", "lk", "lock1", "lock2", ... that is not in `taken` and is not a
// macro.
std::string freshName(clang::ASTContext& ctx, const std::set<std::string>& taken);

// The declaration an expression designating an object names last: `m` in `m`, `a.b.m`, `p->m`,
// `*pm`. Nothing for anything else (calls, indexing), whose identity a fix cannot be sure of.
const clang::ValueDecl* leafDecl(const clang::Expr* e);

// Whether `s` (lambdas included) refers to `d`.
bool mentions(const clang::Stmt* s, const clang::ValueDecl* d);

// Whether evaluating `e` once more changes nothing, so a fix may turn a test run once into one
// run on every iteration: no assignment, increment, allocation, throw or lambda, and calls only to
// functions that cannot write what they see: ones declared `const` or `pure`, const member
// functions of standard classes (`q.empty()`, `flag.load()`, `operator bool`) and constexpr
// standard functions that take nothing by non-const reference or pointer (`d + 1s`). A user's
// const member function may still write a mutable member or a global, and a dependent call may be
// anything, so neither counts.
bool evaluatesWithoutEffects(const clang::Expr* e);

// Whether a jump can land in the children [from, to) of `cs`, past a declaration put before
// them: they hold a label (any goto may target it) or a case label of a switch around them.
bool hasJumpTargets(const clang::CompoundStmt* cs, size_t from, size_t to);

} // namespace threadcheck::checkers::fixes

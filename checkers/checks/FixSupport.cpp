#include "checks/FixSupport.h"

#include "engine/Model.h"
#include "engine/ModelBuilder.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

namespace threadcheck::checkers::fixes {

using namespace clang;

std::optional<Replacement> replace(ASTContext& ctx, CharSourceRange range, std::string text) {
  const SourceManager& sm = ctx.getSourceManager();
  SourceLocation b = range.getBegin(), e = range.getEnd();
  if (b.isInvalid() || e.isInvalid() || !b.isFileID() || !e.isFileID())
    return std::nullopt;
  if (range.isTokenRange())
    e = endOfToken(ctx, e);
  auto [fid, begin] = sm.getDecomposedLoc(b);
  auto [fid2, end] = sm.getDecomposedLoc(e);
  if (fid != fid2 || end < begin)
    return std::nullopt;
  Location where = anchor(ctx, b);
  if (where.file.empty())
    return std::nullopt;
  return Replacement{where.file, begin, end - begin, std::move(text)};
}

std::optional<std::string> text(ASTContext& ctx, SourceLocation begin, SourceLocation end) {
  const SourceManager& sm = ctx.getSourceManager();
  if (begin.isInvalid() || end.isInvalid() || !begin.isFileID() || !end.isFileID())
    return std::nullopt;
  auto [fid, b] = sm.getDecomposedLoc(begin);
  auto [fid2, e] = sm.getDecomposedLoc(end);
  if (fid != fid2 || e < b)
    return std::nullopt;
  bool invalid = false;
  llvm::StringRef buffer = sm.getBufferData(fid, &invalid);
  if (invalid || e > buffer.size())
    return std::nullopt;
  return buffer.substr(b, e - b).str();
}

SourceLocation endOfToken(ASTContext& ctx, SourceLocation loc) {
  return Lexer::getLocForEndOfToken(loc, 0, ctx.getSourceManager(), ctx.getLangOpts());
}

std::optional<SourceLocation> semicolonAfter(ASTContext& ctx, SourceLocation loc) {
  std::optional<Token> next = Lexer::findNextToken(loc, ctx.getSourceManager(), ctx.getLangOpts());
  if (!next || !next->is(tok::semi))
    return std::nullopt;
  return next->getLocation();
}

std::string indentation(ASTContext& ctx, SourceLocation loc) {
  const SourceManager& sm = ctx.getSourceManager();
  auto [fid, offset] = sm.getDecomposedLoc(sm.getExpansionLoc(loc));
  bool invalid = false;
  llvm::StringRef buffer = sm.getBufferData(fid, &invalid);
  if (invalid || offset > buffer.size())
    return {};
  size_t lineStart = buffer.rfind('\n', offset == 0 ? 0 : offset - 1);
  lineStart = lineStart == llvm::StringRef::npos || offset == 0 ? 0 : lineStart + 1;
  size_t end = lineStart;
  while (end < buffer.size() && (buffer[end] == ' ' || buffer[end] == '\t'))
    ++end;
  return buffer.substr(lineStart, end - lineStart).str();
}

Location anchor(ASTContext& ctx, SourceLocation loc) {
  return model::toLocation(toModelLoc(ctx, loc));
}

namespace {

class NameCollector : public RecursiveASTVisitor<NameCollector> {
public:
  explicit NameCollector(std::set<std::string>& out) : out_(out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return false; }

  bool VisitNamedDecl(NamedDecl* d) {
    add(d->getDeclName());
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr* e) {
    if (!e->hasQualifier())
      add(e->getDecl()->getDeclName());
    return true;
  }
  bool VisitMemberExpr(MemberExpr* e) {
    if (e->isImplicitAccess())
      add(e->getMemberDecl()->getDeclName());
    return true;
  }
  bool VisitOverloadExpr(OverloadExpr* e) {
    if (!e->getQualifier())
      add(e->getName());
    return true;
  }
  bool VisitDependentScopeDeclRefExpr(DependentScopeDeclRefExpr* e) {
    add(e->getDeclName());
    return true;
  }
  bool VisitCXXDependentScopeMemberExpr(CXXDependentScopeMemberExpr* e) {
    if (e->isImplicitAccess())
      add(e->getMember());
    return true;
  }

private:
  void add(DeclarationName name) {
    if (name.isIdentifier() && name.getAsIdentifierInfo())
      out_.insert(name.getAsIdentifierInfo()->getName().str());
  }
  std::set<std::string>& out_;
};

// Raw tokens see what the AST may not: names in code that never became a declaration or a
// reference (dependent code, discarded branches of `if constexpr`).
void collectSpelledNames(ASTContext& ctx, SourceRange range, std::set<std::string>& out) {
  const SourceManager& sm = ctx.getSourceManager();
  SourceLocation b = sm.getExpansionLoc(range.getBegin());
  SourceLocation e = sm.getExpansionLoc(range.getEnd());
  auto [fid, begin] = sm.getDecomposedLoc(b);
  auto [fid2, end] = sm.getDecomposedLoc(e);
  if (fid != fid2 || end < begin)
    return;
  bool invalid = false;
  llvm::StringRef buffer = sm.getBufferData(fid, &invalid);
  if (invalid)
    return;
  Lexer lexer(sm.getLocForStartOfFile(fid), ctx.getLangOpts(), buffer.begin(),
              buffer.begin() + begin, buffer.end());
  tok::TokenKind previous = tok::unknown;
  Token t;
  while (true) {
    bool eof = lexer.LexFromRawLexer(t);
    if (sm.getFileOffset(t.getLocation()) > end)
      break;
    if (t.is(tok::raw_identifier) && previous != tok::period && previous != tok::arrow &&
        previous != tok::coloncolon)
      out.insert(t.getRawIdentifier().str());
    previous = t.getKind();
    if (eof)
      break;
  }
}

} // namespace

std::set<std::string> namesUsedIn(ASTContext& ctx, const FunctionDecl* fn) {
  // A lambda's or a local class's names live in the function around it.
  const FunctionDecl* outer = fn;
  for (const DeclContext* dc = fn; dc; dc = dc->getParent())
    if (const auto* f = dyn_cast<FunctionDecl>(dc))
      outer = f;
  std::set<std::string> names;
  NameCollector(names).TraverseDecl(const_cast<FunctionDecl*>(outer));
  collectSpelledNames(ctx, outer->getSourceRange(), names);
  if (const FunctionDecl* pattern = outer->getTemplateInstantiationPattern())
    NameCollector(names).TraverseDecl(const_cast<FunctionDecl*>(pattern));
  return names;
}

IdentifierInfo* knownIdentifier(ASTContext& ctx, llvm::StringRef name) {
  auto it = ctx.Idents.find(name);
  return it == ctx.Idents.end() ? nullptr : it->second;
}

std::string freshName(ASTContext& ctx, const std::set<std::string>& taken) {
  auto usable = [&](const std::string& n) {
    if (taken.count(n))
      return false;
    IdentifierInfo* ii = knownIdentifier(ctx, n);
    return !ii || !ii->hasMacroDefinition();
  };
  for (const char* n : {"lock", "guard", "lk"})
    if (usable(n))
      return n;
  for (unsigned i = 1;; ++i)
    if (std::string n = "lock" + std::to_string(i); usable(n))
      return n;
}

bool declaredInStd(ASTContext& ctx, llvm::StringRef name) {
  IdentifierInfo* stdId = knownIdentifier(ctx, "std");
  IdentifierInfo* nameId = knownIdentifier(ctx, name);
  if (!stdId || !nameId)
    return false;
  for (const NamedDecl* d : ctx.getTranslationUnitDecl()->lookup(stdId)) {
    const auto* ns = dyn_cast<NamespaceDecl>(d);
    if (!ns)
      continue;
    if (!ns->lookup(nameId).empty())
      return true;
    // libc++ declares the library in an inline namespace (std::__1).
    for (const Decl* inner : ns->decls())
      if (const auto* in = dyn_cast<NamespaceDecl>(inner); in && in->isInline())
        if (!in->lookup(nameId).empty())
          return true;
  }
  return false;
}

const ValueDecl* leafDecl(const Expr* e) {
  while (e) {
    e = e->IgnoreParenImpCasts();
    if (const auto* dre = dyn_cast<DeclRefExpr>(e))
      return dre->getDecl();
    if (const auto* me = dyn_cast<MemberExpr>(e))
      return me->getMemberDecl();
    const auto* uo = dyn_cast<UnaryOperator>(e);
    if (!uo || uo->getOpcode() != UO_Deref)
      return nullptr;
    e = uo->getSubExpr();
  }
  return nullptr;
}

namespace {

class MentionFinder : public RecursiveASTVisitor<MentionFinder> {
public:
  explicit MentionFinder(const ValueDecl* d) : d_(d) {}
  bool found = false;
  bool VisitDeclRefExpr(DeclRefExpr* e) {
    found |= e->getDecl() == d_;
    return !found;
  }
  bool VisitMemberExpr(MemberExpr* e) {
    found |= e->getMemberDecl() == d_;
    return !found;
  }

private:
  const ValueDecl* d_;
};

// Labels anywhere (goto can reach them), case labels of a switch that is not itself inside.
bool hasTargets(const Stmt* s, bool insideOwnSwitch) {
  if (!s)
    return false;
  if (isa<LabelStmt>(s))
    return true;
  if (isa<SwitchCase>(s) && !insideOwnSwitch)
    return true;
  if (isa<LambdaExpr>(s))
    return false; // a lambda body is a function of its own
  if (isa<SwitchStmt>(s))
    insideOwnSwitch = true;
  for (const Stmt* c : s->children())
    if (hasTargets(c, insideOwnSwitch))
      return true;
  return false;
}

} // namespace

namespace {

// Declared in namespace std, or in a namespace inside it (std::chrono, libc++'s std::__1).
bool inStd(const Decl* d) {
  const DeclContext* top = nullptr;
  for (const DeclContext* dc = d->getDeclContext(); dc && !dc->isTranslationUnit();
       dc = dc->getParent())
    if (isa<NamespaceDecl>(dc))
      top = dc;
  const auto* ns = dyn_cast_or_null<NamespaceDecl>(top);
  return ns && ns->getIdentifier() && ns->getName() == "std";
}

bool writesThroughParameter(const FunctionDecl* fd) {
  for (const ParmVarDecl* p : fd->parameters()) {
    QualType t = p->getType();
    if ((t->isReferenceType() || t->isPointerType()) && !t->getPointeeType().isConstQualified())
      return true;
  }
  return false;
}

bool callCannotWrite(const FunctionDecl* fd) {
  if (!fd)
    return false;
  if (fd->hasAttr<ConstAttr>() || fd->hasAttr<PureAttr>())
    return true;
  if (!inStd(fd))
    return false;
  if (const auto* md = dyn_cast<CXXMethodDecl>(fd); md && md->isInstance())
    return md->isConst() && !writesThroughParameter(md);
  return fd->isConstexpr() && !writesThroughParameter(fd);
}

} // namespace

bool evaluatesWithoutEffects(const Expr* e) {
  if (!e)
    return true;
  // What a type-dependent expression does is decided per instantiation (an overloaded operator,
  // a conversion). `this` in a class template is one, yet reading it does nothing.
  if (isa<CXXThisExpr>(e))
    return true;
  if (e->isTypeDependent() || isa<CXXUnresolvedConstructExpr, UnresolvedMemberExpr>(e))
    return false;
  if (const auto* bo = dyn_cast<BinaryOperator>(e); bo && bo->isAssignmentOp())
    return false;
  if (const auto* uo = dyn_cast<UnaryOperator>(e); uo && uo->isIncrementDecrementOp())
    return false;
  if (isa<CXXNewExpr, CXXDeleteExpr, CXXThrowExpr, LambdaExpr, StmtExpr, BlockExpr,
          CoroutineSuspendExpr, PseudoObjectExpr>(e))
    return false;
  if (const auto* call = dyn_cast<CallExpr>(e); call && !callCannotWrite(call->getDirectCallee()))
    return false;
  if (const auto* ce = dyn_cast<CXXConstructExpr>(e)) {
    const CXXConstructorDecl* ctor = ce->getConstructor();
    if (!ctor || !(ctor->isTrivial() || (ctor->isConstexpr() && inStd(ctor))))
      return false;
  }
  if (const auto* bt = dyn_cast<CXXBindTemporaryExpr>(e)) {
    const CXXDestructorDecl* dtor = bt->getTemporary()->getDestructor();
    if (!dtor || !inStd(dtor))
      return false;
  }
  for (const Stmt* child : e->children()) {
    const auto* ce = dyn_cast_or_null<Expr>(child);
    if (child && (!ce || !evaluatesWithoutEffects(ce)))
      return false;
  }
  return true;
}

bool mentions(const Stmt* s, const ValueDecl* d) {
  MentionFinder f(d);
  f.TraverseStmt(const_cast<Stmt*>(s));
  return f.found;
}

bool hasJumpTargets(const CompoundStmt* cs, size_t from, size_t to) {
  for (size_t i = from; i < to && i < cs->size(); ++i)
    if (hasTargets(cs->body_begin()[i], false))
      return true;
  return false;
}

} // namespace threadcheck::checkers::fixes

// unnamed-lock-guard: `std::lock_guard<std::mutex>{m};` locks and unlocks within one statement,
// and `std::unique_lock<std::mutex>(m);` declares a new, empty guard called m. Either way the code
// that follows runs unprotected while looking protected.
#include "checks/Check.h"
#include "checks/FixSupport.h"
#include "engine/ModelBuilder.h"
#include "engine/PeelTemporaries.h"
#include "engine/ThreadingApi.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>
#include <map>

namespace threadcheck::checkers {
namespace {

using namespace clang;

class Visitor : public RecursiveASTVisitor<Visitor> {
public:
  Visitor(ASTContext& ctx, std::vector<Finding>& out) : ctx_(ctx), out_(out) {}

  bool VisitFunctionDecl(FunctionDecl* fd) {
    if (fd->hasBody())
      function_ = api::findingFunctionName(fd);
    return true;
  }

  bool VisitCompoundStmt(CompoundStmt* cs) {
    size_t index = 0;
    for (Stmt* s : cs->body()) {
      if (const auto* e = dyn_cast<Expr>(s))
        checkDiscarded(e, Position{cs, index});
      // Declarations are visited after their block: remember where they stand for the fix.
      if (const auto* ds = dyn_cast<DeclStmt>(s); ds && ds->isSingleDecl())
        if (const auto* vd = dyn_cast<VarDecl>(ds->getSingleDecl()))
          declPositions_[vd] = Position{cs, index};
      ++index;
    }
    return true;
  }

  bool shouldVisitTemplateInstantiations() const { return true; }

  // System headers hold most of a translation unit's declarations and none of the user's code:
  // not walking them is most of what keeps the analysis close to -fsyntax-only.
  bool TraverseDecl(Decl* d) {
    if (d && !isa<TranslationUnitDecl>(d)) {
      const SourceManager& sm = ctx_.getSourceManager();
      SourceLocation loc = d->getLocation();
      if (loc.isValid() && sm.isInSystemHeader(sm.getExpansionLoc(loc)))
        return true;
    }
    // The function whose names a fix's new guard must not clash with (lambdas are traversed
    // through their expression, so they keep the function around them).
    const auto* fd = dyn_cast_or_null<FunctionDecl>(d);
    const FunctionDecl* saved = fn_;
    if (fd)
      fn_ = fd;
    bool result = RecursiveASTVisitor::TraverseDecl(d);
    fn_ = saved;
    return result;
  }

  // A guard as the whole body of an if, a loop or a case label.
  bool VisitIfStmt(IfStmt* s) {
    checkBody(s->getThen());
    checkBody(s->getElse());
    return true;
  }
  bool VisitWhileStmt(WhileStmt* s) { return checkBody(s->getBody()); }
  bool VisitForStmt(ForStmt* s) { return checkBody(s->getBody()); }
  bool VisitDoStmt(DoStmt* s) { return checkBody(s->getBody()); }
  bool VisitCXXForRangeStmt(CXXForRangeStmt* s) { return checkBody(s->getBody()); }
  bool VisitSwitchCase(SwitchCase* s) { return checkBody(s->getSubStmt()); }
  bool VisitLabelStmt(LabelStmt* s) { return checkBody(s->getSubStmt()); }

  bool VisitBinaryOperator(BinaryOperator* bo) {
    if (bo->getOpcode() == BO_Comma)
      checkDiscarded(bo->getLHS(), Position{});
    return true;
  }

  bool VisitVarDecl(VarDecl* vd) {
    if (!vd->isLocalVarDecl() || inSystem(vd->getLocation()))
      return true;
    api::GuardKind gk = api::guardKind(vd->getType());
    if (gk == api::GuardKind::None)
      return true;
    const auto* ce = dyn_cast_or_null<CXXConstructExpr>(vd->getInit());
    if (!ce || ce->getNumArgs() != 0)
      return true;
    // `std::unique_lock<std::mutex>(m);` parses as a declaration of m: the name is wrapped in
    // parentheses right after the type.
    const SourceManager& sm = ctx_.getSourceManager();
    SourceLocation nameLoc = sm.getExpansionLoc(vd->getLocation());
    bool invalid = false;
    const char* p = sm.getCharacterData(nameLoc, &invalid);
    const char* begin = sm.getCharacterData(sm.getExpansionLoc(vd->getBeginLoc()), &invalid);
    if (invalid || !p || !begin)
      return true;
    const char* q = p;
    while (q > begin && (q[-1] == ' ' || q[-1] == '\t'))
      --q;
    if (q == begin || q[-1] != '(')
      return true;
    std::string name = vd->getNameAsString();
    report(vd->getBeginLoc(),
           "this declares a new, empty " + std::string(api::guardName(gk)) + " named " +
               quoted(name) + " instead of locking " + quoted(name) +
               "; nothing is locked. Name the guard: '" + api::guardName(gk) + " lock(" + name +
               ");'",
           nameShadowingGuard(vd, nameLoc.getLocWithOffset(-(p - q) - 1)));
    return true;
  }

private:
  // Where a statement stands in its block; fixes are offered only for statements of a block,
  // since a declaration as the whole body of an if or a loop would still end at once.
  struct Position {
    const CompoundStmt* block = nullptr;
    size_t index = 0;
  };

  bool checkBody(const Stmt* body) {
    if (const auto* e = dyn_cast_or_null<Expr>(body))
      checkDiscarded(e, Position{});
    return true;
  }

  bool inSystem(SourceLocation loc) const {
    const SourceManager& sm = ctx_.getSourceManager();
    return loc.isInvalid() || sm.isInSystemHeader(sm.getExpansionLoc(loc));
  }

  void checkDiscarded(const Expr* e, Position pos) {
    const Expr* c = peelTemporaries(e);
    const auto* ce = dyn_cast_or_null<CXXConstructExpr>(c);
    if (!ce || inSystem(ce->getBeginLoc()))
      return;
    api::GuardKind gk = api::guardKind(ce->getType());
    if (gk == api::GuardKind::None)
      return;
    std::string mutexes;
    for (const Expr* a : ce->arguments()) {
      if (api::guardTag(a->getType()) != api::GuardTag::None || isa<CXXDefaultArgExpr>(a))
        continue;
      const SourceManager& sm = ctx_.getSourceManager();
      CharSourceRange r = CharSourceRange::getTokenRange(a->getSourceRange());
      std::string text = Lexer::getSourceText(r, sm, ctx_.getLangOpts()).str();
      mutexes += (mutexes.empty() ? "" : ", ") + quoted(text);
    }
    if (mutexes.empty())
      return;
    report(ce->getBeginLoc(),
           "this " + std::string(api::guardName(gk)) + " is a temporary: it unlocks " + mutexes +
               " at the end of this statement, so the code after it is not protected; give the "
               "guard a name",
           nameTemporaryGuard(e, ce, pos));
  }

  void report(SourceLocation loc, std::string message, std::optional<Fix> fix) {
    Finding f;
    f.checkId = "unnamed-lock-guard";
    f.loc = model::toLocation(toModelLoc(ctx_, loc));
    f.message = std::move(message);
    f.function = function_;
    f.fix = std::move(fix);
    out_.push_back(std::move(f));
  }

  // Naming a guard makes it hold its mutexes to the end of the block, as its author meant. That
  // is offered only when the statements after it cannot be reached by a jump past the new
  // declaration and do not touch the mutexes again (which would then deadlock).
  bool laterStatementsAllowLock(Position pos, const std::vector<const ValueDecl*>& mutexes) {
    if (fixes::hasJumpTargets(pos.block, pos.index + 1, pos.block->size()))
      return false;
    for (size_t i = pos.index + 1; i < pos.block->size(); ++i)
      for (const ValueDecl* m : mutexes)
        if (fixes::mentions(pos.block->body_begin()[i], m))
          return false;
    return true;
  }

  Fix nameFix(const std::string& name, Replacement r) {
    return Fix{"name the guard " + quoted(name) +
                   " so that it holds the lock to the end of the "
                   "block",
               {std::move(r)}};
  }

  // `TYPE{args};` or `TYPE(args);` becomes `TYPE name(args);`.
  std::optional<Fix> nameTemporaryGuard(const Expr* stmt, const CXXConstructExpr* ce,
                                        Position pos) {
    if (!pos.block || !fn_)
      return std::nullopt;
    // The expression that spells the type; anything else around it (parentheses, a cast) would
    // leave no declaration once named.
    TypeLoc type;
    for (const Expr* e = stmt; type.isNull();) {
      if (const auto* x = dyn_cast<ExprWithCleanups>(e))
        e = x->getSubExpr();
      else if (const auto* x = dyn_cast<CXXBindTemporaryExpr>(e))
        e = x->getSubExpr();
      else if (const auto* x = dyn_cast<MaterializeTemporaryExpr>(e))
        e = x->getSubExpr();
      else if (const auto* x = dyn_cast<ImplicitCastExpr>(e))
        e = x->getSubExpr();
      else if (const auto* x = dyn_cast<CXXFunctionalCastExpr>(e))
        type = x->getTypeInfoAsWritten()->getTypeLoc();
      else if (const auto* x = dyn_cast<CXXTemporaryObjectExpr>(e))
        type = x->getTypeSourceInfo()->getTypeLoc();
      else
        return std::nullopt;
    }
    SourceLocation close = stmt->getEndLoc();
    if (type.getBeginLoc() != stmt->getBeginLoc() || !fixes::semicolonAfter(ctx_, close))
      return std::nullopt;
    SourceLocation afterType = fixes::endOfToken(ctx_, type.getEndLoc());
    SourceLocation afterClose = fixes::endOfToken(ctx_, close);
    std::optional<std::string> init = fixes::text(ctx_, afterType, afterClose);
    if (!init)
      return std::nullopt;
    llvm::StringRef args = llvm::StringRef(*init).trim();
    if (args.size() < 2 || !((args.front() == '(' && args.back() == ')') ||
                             (args.front() == '{' && args.back() == '}')))
      return std::nullopt;
    std::vector<const ValueDecl*> mutexes;
    for (const Expr* a : ce->arguments()) {
      if (api::guardTag(a->getType()) != api::GuardTag::None || isa<CXXDefaultArgExpr>(a))
        continue;
      const ValueDecl* m = fixes::leafDecl(a);
      if (!m)
        return std::nullopt;
      mutexes.push_back(m);
    }
    if (!laterStatementsAllowLock(pos, mutexes))
      return std::nullopt;
    std::string name = fixes::freshName(ctx_, fixes::namesUsedIn(ctx_, fn_));
    std::optional<Replacement> r =
        fixes::replace(ctx_, CharSourceRange::getCharRange(afterType, afterClose),
                       " " + name + "(" + args.substr(1, args.size() - 2).str() + ")");
    if (!r)
      return std::nullopt;
    return nameFix(name, std::move(*r));
  }

  // `TYPE(m);` becomes `TYPE name(m);` when `m` names a mutex of the guard's type that is in
  // scope there and the declared guard is never used (its uses would switch to the mutex).
  std::optional<Fix> nameShadowingGuard(const VarDecl* vd, SourceLocation paren) {
    auto it = declPositions_.find(vd);
    const auto* fn = dyn_cast_or_null<FunctionDecl>(vd->getParentFunctionOrMethod());
    if (it == declPositions_.end() || !fn || vd->isReferenced() || !vd->getTypeSourceInfo())
      return std::nullopt;
    Position pos = it->second;
    QualType mutexType = guardedType(vd->getType());
    const ValueDecl* mutex = visibleDeclaration(vd, pos);
    if (mutexType.isNull() || !mutex ||
        !ctx_.hasSameUnqualifiedType(mutex->getType().getNonReferenceType(), mutexType) ||
        !laterStatementsAllowLock(pos, {mutex}))
      return std::nullopt;
    SourceLocation afterType =
        fixes::endOfToken(ctx_, vd->getTypeSourceInfo()->getTypeLoc().IgnoreParens().getEndLoc());
    std::string name = fixes::freshName(ctx_, fixes::namesUsedIn(ctx_, fn));
    std::optional<Replacement> r =
        fixes::replace(ctx_, CharSourceRange::getCharRange(afterType, paren), " " + name);
    if (!r)
      return std::nullopt;
    return nameFix(name, std::move(*r));
  }

  // The one mutex type a guard specialisation holds: lock_guard<M>, unique_lock<M>,
  // shared_lock<M>, scoped_lock<M>.
  static QualType guardedType(QualType guard) {
    const auto* spec =
        dyn_cast_or_null<ClassTemplateSpecializationDecl>(guard->getAsCXXRecordDecl());
    if (!spec || spec->getTemplateArgs().size() != 1)
      return {};
    const TemplateArgument& a = spec->getTemplateArgs()[0];
    if (a.getKind() == TemplateArgument::Type)
      return a.getAsType();
    if (a.getKind() == TemplateArgument::Pack && a.pack_size() == 1 &&
        a.pack_begin()->getKind() == TemplateArgument::Type)
      return a.pack_begin()->getAsType();
    return {};
  }

  // What `vd`'s name means just before `vd` is declared: an earlier local of an enclosing block
  // (through lambdas that capture by reference), a parameter, a member of the class of a
  // non-static member function, or a namespace-scope variable.
  const ValueDecl* visibleDeclaration(const VarDecl* vd, Position pos) {
    DeclarationName name = vd->getDeclName();
    const Stmt* child = pos.block->body_begin()[pos.index];
    DynTypedNode node = DynTypedNode::create(*child);
    const FunctionDecl* fn = nullptr;
    while (!fn) {
      DynTypedNodeList parents = ctx_.getParents(node);
      if (parents.empty())
        return nullptr;
      const DynTypedNode& parent = parents[0];
      if (const auto* cs = parent.get<CompoundStmt>()) {
        const VarDecl* found = nullptr;
        for (const Stmt* s : cs->body()) {
          if (s == node.get<Stmt>())
            break;
          if (const auto* ds = dyn_cast<DeclStmt>(s))
            for (const Decl* d : ds->decls())
              if (const auto* v = dyn_cast<VarDecl>(d); v && v->getDeclName() == name)
                found = v;
        }
        if (found)
          return found;
      } else if (const auto* le = parent.get<LambdaExpr>()) {
        if (le->getCaptureDefault() != LCD_ByRef)
          return nullptr;
      } else if (const auto* f = parent.get<FunctionDecl>()) {
        fn = f;
        break;
      }
      node = parent;
    }
    for (const ParmVarDecl* p : fn->parameters())
      if (p->getDeclName() == name)
        return p;
    for (const DeclContext* dc = fn->getDeclContext(); dc; dc = dc->getParent()) {
      if (isa<FunctionDecl>(dc))
        return nullptr; // a local class: the outer function's locals are not usable here
      if (!isa<CXXRecordDecl>(dc) && !dc->isFileContext())
        continue;
      for (const NamedDecl* d : dc->lookup(name)) {
        if (const auto* field = dyn_cast<FieldDecl>(d)) {
          const auto* md = dyn_cast<CXXMethodDecl>(fn);
          return md && !md->isStatic() && md->getParent() == dc ? field : nullptr;
        }
        if (const auto* v = dyn_cast<VarDecl>(d))
          return v;
      }
    }
    return nullptr;
  }

  ASTContext& ctx_;
  std::vector<Finding>& out_;
  std::string function_;
  const FunctionDecl* fn_ = nullptr;
  std::map<const VarDecl*, Position> declPositions_;
};

class UnnamedLockGuardCheck : public AstCheck {
public:
  std::string_view id() const override { return "unnamed-lock-guard"; }
  void check(ASTContext& ctx, std::vector<Finding>& out) const override {
    if (!ctx.getLangOpts().CPlusPlus)
      return;
    Visitor(ctx, out).TraverseDecl(ctx.getTranslationUnitDecl());
  }
};

} // namespace

std::unique_ptr<AstCheck> createUnnamedLockGuardCheck() {
  return std::make_unique<UnnamedLockGuardCheck>();
}

} // namespace threadcheck::checkers

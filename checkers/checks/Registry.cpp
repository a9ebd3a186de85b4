// The implementations behind the ids of CheckRegistry.cpp: one factory per check file.
#include "checks/Check.h"

namespace threadcheck::checkers {

std::unique_ptr<ModelCheck> createBlockingUnderLockCheck();
std::unique_ptr<ModelCheck> createSleepUnderLockCheck();
std::unique_ptr<AstCheck> createCvMixedMutexesCollector();
std::unique_ptr<ProgramCheck> createCvMixedMutexesCheck();
std::unique_ptr<AstCheck> createCvWaitNoPredicateCheck();
std::unique_ptr<ProgramCheck> createWaitWrapperCallsCheck();
std::unique_ptr<AstCheck> createLatchBarrierMisuseCheck();
std::unique_ptr<AstCheck> createSemaphoreOverReleaseCheck();
std::unique_ptr<ModelCheck> createDoubleLockCheck();
std::unique_ptr<ModelCheck> createLockNotReleasedCheck();
std::unique_ptr<ModelCheck> createLockOrderInversionCheck();
std::unique_ptr<ModelCheck> createMutexDestroyedLockedCheck();
std::unique_ptr<ModelCheck> createUnlockNotHeldCheck();
std::unique_ptr<AstCheck> createUnnamedLockGuardCheck();
std::unique_ptr<ModelCheck> createThreadNotJoinedCheck();
std::unique_ptr<ModelCheck> createJoinNotJoinableCheck();
std::unique_ptr<ModelCheck> createThreadCreateUncheckedCheck();
std::unique_ptr<ModelCheck> createDetachedCapturesLocalCheck();
std::unique_ptr<ModelCheck> createDetachedHoldsResourceCheck();
std::unique_ptr<ModelCheck> createThreadExceptionEscapeCheck();
std::unique_ptr<AstCheck> createThreadLocalEscapeCheck();
std::unique_ptr<FixPass> createScopedLockFixPass();
std::unique_ptr<FixPass> createJthreadFixPass();

std::vector<std::unique_ptr<ModelCheck>> createModelChecks() {
  std::vector<std::unique_ptr<ModelCheck>> checks;
  checks.push_back(createBlockingUnderLockCheck());
  checks.push_back(createSleepUnderLockCheck());
  checks.push_back(createDoubleLockCheck());
  checks.push_back(createLockNotReleasedCheck());
  checks.push_back(createLockOrderInversionCheck());
  checks.push_back(createMutexDestroyedLockedCheck());
  checks.push_back(createUnlockNotHeldCheck());
  checks.push_back(createThreadNotJoinedCheck());
  checks.push_back(createJoinNotJoinableCheck());
  checks.push_back(createThreadCreateUncheckedCheck());
  checks.push_back(createDetachedCapturesLocalCheck());
  checks.push_back(createDetachedHoldsResourceCheck());
  checks.push_back(createThreadExceptionEscapeCheck());
  return checks;
}

std::vector<std::unique_ptr<AstCheck>> createAstChecks() {
  std::vector<std::unique_ptr<AstCheck>> checks;
  checks.push_back(createCvMixedMutexesCollector());
  checks.push_back(createCvWaitNoPredicateCheck());
  checks.push_back(createLatchBarrierMisuseCheck());
  checks.push_back(createSemaphoreOverReleaseCheck());
  checks.push_back(createUnnamedLockGuardCheck());
  checks.push_back(createThreadLocalEscapeCheck());
  return checks;
}

} // namespace threadcheck::checkers

namespace threadcheck::checkers {

std::vector<std::unique_ptr<ProgramCheck>> createProgramChecks() {
  std::vector<std::unique_ptr<ProgramCheck>> checks;
  checks.push_back(createCvMixedMutexesCheck());
  checks.push_back(createWaitWrapperCallsCheck());
  return checks;
}

std::vector<std::unique_ptr<FixPass>> createFixPasses() {
  std::vector<std::unique_ptr<FixPass>> passes;
  passes.push_back(createScopedLockFixPass());
  passes.push_back(createJthreadFixPass());
  return passes;
}

} // namespace threadcheck::checkers

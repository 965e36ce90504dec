import { DeckError, ExitCode } from './errors.ts'
import { packageVersion } from './packages.ts'

// Where this tool patches another library, its code (Marpit's theme work, in
// export/marp-cache.ts) or what it writes (Marp CLI's HTML deck, in export/marp.ts;
// pptxgenjs's XML, in pptx/package.ts), each patch is written for one version of it, and
// package.json pins that version exactly. A patch that finds the library otherwise than
// it was written for stops the build with a bug's exit code, naming itself: it never goes
// on to write a wrong file. test/patches.test.ts keeps this table, package.json and what
// is installed the same.

/** The version of each patched package that its patches were written for. */
export const PATCHED = Object.freeze({
  '@marp-team/marp-cli': '4.5.1',
  '@marp-team/marp-core': '4.4.0',
  '@marp-team/marpit': '3.2.3',
  pptxgenjs: '4.0.1',
})
export type PatchedPackage = keyof typeof PATCHED

/**
 * A patch found `pkg` otherwise than it was written for: what it `found`, and which patch
 * (`patch`, a module and what in it) to revisit. A bug of this tool, not of the brief.
 */
export function patchFailed(pkg: PatchedPackage, patch: string, found: string): DeckError {
  return new DeckError(
    `${found}. ${patch} patches ${pkg} ${PATCHED[pkg]} (installed: ${installedVersion(pkg)}); revisit the patch for the version installed, or install the version package.json pins`,
    { exitCode: ExitCode.internal },
  )
}

function installedVersion(pkg: PatchedPackage): string {
  try {
    return packageVersion(pkg)
  } catch {
    return 'not found'
  }
}

import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ExitCode } from '../deck/shared/errors.ts'
import { packageVersion } from '../deck/shared/packages.ts'
import { PATCHED, patchFailed } from '../deck/shared/patches.ts'
import { ROOT } from './helpers.ts'

// The packages this tool patches, each pinned to the version its patches were written for.

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dependencies?: Record<string, string> }>
}

describe('the patched packages', () => {
  it.each(Object.entries(PATCHED))('%s is pinned, locked and installed at %s, the version its patches were written for', (pkg, version) => {
    const revisit = `${pkg}: package.json, the lock and deck/shared/patches.ts must agree; after an upgrade, revisit each patch of it (its tests say which) before changing PATCHED`
    expect(manifest.dependencies[pkg], revisit).toBe(version)
    expect(lock.packages['']?.dependencies?.[pkg], revisit).toBe(version)
    expect(lock.packages[`node_modules/${pkg}`]?.version, revisit).toBe(version)
    expect(packageVersion(pkg), `${revisit} (npm ci installs what the lock says)`).toBe(version)
  })

  it('a patch’s failure is a bug that names the patch, the package, the version it was written for and the one installed', () => {
    const err = patchFailed('pptxgenjs', 'finishPackage (deck/pptx/package.ts)', 'pptxgenjs wrote x.xml otherwise than expected')
    expect(err.exitCode).toBe(ExitCode.internal)
    expect(err.message).toBe(
      'pptxgenjs wrote x.xml otherwise than expected. finishPackage (deck/pptx/package.ts) patches pptxgenjs 4.0.1 (installed: 4.0.1); revisit the patch for the version installed, or install the version package.json pins',
    )
  })
})

import { z } from 'zod'

// The brand file's format: the subset of Posit's brand.yml that brief-deck reads, and the
// theme colours its roles set. Keys of brand.yml that no output uses are accepted (brand.ts
// names them in a note); keys brand.yml does not have are errors at their line.

/** The theme colour each colour role of brand.yml sets (`primary` → `--navy`). */
export const ROLE_TOKENS = {
  foreground: 'ink',
  background: 'paper',
  primary: 'navy',
  secondary: 'muted',
  tertiary: 'accent',
  light: 'tint',
  dark: 'divider-paper',
} as const
export type Role = keyof typeof ROLE_TOKENS
/** The theme's colours a brand file may set by name under defaults.brief-deck.color, and their print variants (`print-divider-paper`). */
export const NAMED_COLOURS = [
  'ink',
  'paper',
  'navy',
  'accent',
  'muted',
  'tint',
  'rule',
  'divider-paper',
  'divider-ink',
  'divider-soft',
  'divider-muted',
  'divider-accent',
  'divider-rule',
]
export const THEME_COLOURS: readonly string[] = [...NAMED_COLOURS, ...NAMED_COLOURS.map((name) => `print-${name}`)]
/** Roles brand.yml has that no part of a deck is drawn in. */
export const UNUSED_ROLES = ['success', 'info', 'warning', 'danger'] as const

export const RE_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i
const RE_TOKEN_NAME = /^[a-z][a-z0-9-]*$/
/** A family name goes into CSS and the PowerPoint's XML as it is: letters, digits, spaces and a few signs. */
const RE_FAMILY = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u

const colour = z.string().min(1).meta({ description: 'A colour written #rrggbb or #rgb, or the name of a colour of the palette.' })
const weight = z.union([z.number().int().min(100).max(900), z.enum(['normal', 'bold'])])
const fontStyle = z.enum(['normal', 'italic'])
const logoImage = z.union([
  z.string().min(1),
  z.strictObject({ path: z.string().min(1), alt: z.string().optional().meta({ description: 'What the logo shows, for screen readers.' }) }),
])
const logoSize = z.union([logoImage, z.strictObject({ light: logoImage.optional(), dark: logoImage.optional() })])
const family = z.string().regex(RE_FAMILY, 'a font family name: letters, digits, spaces, dots, hyphens')
const fontEntry = z.discriminatedUnion('source', [
  z.strictObject({
    family,
    source: z.literal('file'),
    files: z.array(z.union([z.string().min(1), z.strictObject({ path: z.string().min(1), weight: weight.optional(), style: fontStyle.optional() })])).min(1),
  }),
  z.strictObject({
    family,
    source: z.literal('fontsource'),
    package: z.string().min(1).optional().meta({ description: 'The npm package (default @fontsource/<family in lower case, hyphenated>).' }),
    files: z
      .array(z.strictObject({ weight: weight.optional(), style: fontStyle.optional() }))
      .min(1)
      .optional(),
    weight: z.array(weight).min(1).optional(),
    style: z.array(fontStyle).min(1).optional(),
  }),
  z.strictObject({
    family,
    source: z.enum(['google', 'bunny', 'system']),
    weight: z.unknown().optional(),
    style: z.unknown().optional(),
    display: z.unknown().optional(),
  }),
])
/** `base: Family` or `base: { family: …, size: … }`: only the family is read. */
const typeRole = z.union([z.string().min(1), z.looseObject({ family: z.string().min(1).optional() })])

export const brandSchema = z
  .strictObject({
    meta: z.looseObject({}).optional(),
    logo: z
      .strictObject({
        images: z.record(z.string(), logoImage).optional(),
        small: logoSize.optional(),
        medium: logoSize.optional(),
        large: logoSize.optional(),
      })
      .optional(),
    color: z
      .strictObject({
        palette: z.record(z.string(), z.string()).optional(),
        ...Object.fromEntries([...Object.keys(ROLE_TOKENS), ...UNUSED_ROLES].map((role) => [role, colour.optional()])),
      })
      .optional(),
    typography: z
      .strictObject({
        fonts: z.array(fontEntry).optional(),
        base: typeRole.optional(),
        headings: typeRole.optional(),
        monospace: z.unknown().optional(),
        'monospace-inline': z.unknown().optional(),
        'monospace-block': z.unknown().optional(),
        link: z.unknown().optional(),
      })
      .optional(),
    defaults: z
      .looseObject({
        'brief-deck': z
          .strictObject({
            color: z
              .record(z.string().regex(RE_TOKEN_NAME), colour)
              .optional()
              .meta({ description: 'Any colour of the theme by its name (rule, divider-ink, …).' }),
          })
          .optional(),
      })
      .optional(),
  })
  .meta({ description: 'A brand file (the subset of brand.yml that brief-deck reads).' })

export type BrandData = z.infer<typeof brandSchema>

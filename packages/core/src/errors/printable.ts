/**
 * @module
 */

// ANSI escape sequences (CSI, OSC and two-character escapes), then C0/C1 control characters
// and the Unicode bidirectional overrides that can make a terminal or log show other text.
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g

/**
 * Server text made safe for a message or a log line: the first line only, ANSI escape
 * sequences removed, other control characters and bidirectional overrides replaced by a
 * space, at most `max` characters.
 *
 * @example
 * ```ts
 * import { printableText } from '@authfold/core'
 *
 * printableText('AADSTS50126: bad\u001b[31m red\r\nTrace ID: x') // 'AADSTS50126: bad red'
 * ```
 * @category utils
 * @since 0.1.0
 */
export const printableText = (text: string, max = 300): string =>
  (text.split(/\r?\n|\r/)[0] ?? '').replace(ANSI, '').replace(CONTROL, ' ').trim().slice(0, max)

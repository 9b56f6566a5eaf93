/**
 * Activity lines in both languages (issue 17 #7), from the message catalog: the renderer shows the
 * one of the app's language; `summary` stays the English line for logs and exports.
 */
import { format, translate, type MessageKey } from '../../shared/i18n/messages';
import type { LocalizedText } from '../../shared/plan';

export function activityText(key: MessageKey, values: Record<string, string | number> = {}): LocalizedText {
  return { en: format(translate(key, 'en'), values), 'zh-CN': format(translate(key, 'zh-CN'), values) };
}

/** "<plan title>: <status>", the title as the plan wrote it in each language. */
export function operationText(
  title: LocalizedText | undefined,
  status: 'succeeded' | 'rolled-back' | 'rollback-failed',
): LocalizedText {
  const t = title ?? activityText('activityOperation');
  const s = activityText(`opStatus_${status}`);
  return { en: `${t.en}: ${s.en}`, 'zh-CN': `${t['zh-CN']}：${s['zh-CN']}` };
}

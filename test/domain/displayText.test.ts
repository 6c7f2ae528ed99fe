import { displayTextProblem } from '../../src/domain/displayText';
/** Names read as what they are (issue 17): no invisible format character but a joiner between two visible ones. */
test('invisible format characters (Cf) are refused; ZWNJ and ZWJ only between visible characters', () => {
  for (const t of ['Ada\u200fLovelace', 'Ada\u061c', '\u200bAda', 'Ada\u2060', 'Ad\u00ada', '\ufeffAda', 'Ada\u200d', 'ad\u200dmin', 'ad\u200cmin']) expect(displayTextProblem(t)).toMatch(/format/);
  for (const t of ['Ada Lovelace', 'می\u200cخواهم', '👨\u200d👩\u200d👧', 'क्\u200dष', 'Zoë']) expect(displayTextProblem(t)).toBeUndefined();
});

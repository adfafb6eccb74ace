// Unit names are searched by any substring (a township officer types 加油站 or 张记). A substring
// test cannot use an index, so each unit also keeps the pairs of adjacent characters of its name
// (二元组, lower-cased): a query of two or more characters can only match names that hold all of
// its pairs, which an index on the pairs finds; the substring test then runs on those alone.
// One-character queries have no pair and fall back to the substring test.

/** The distinct lower-cased character pairs of `text`, in order of first appearance. */
export function characterPairs(text: string): string[] {
  const chars = [...text.toLowerCase()];
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i += 1) pairs.add(`${chars[i]}${chars[i + 1]}`);
  return [...pairs];
}

/** What a unit stores for its name. */
export const nameGrams = (name: string): string[] => characterPairs(name);

/** The pairs a search term requires ([] for one character: no pair to look up). */
export const queryGrams = (term: string): string[] => characterPairs(term);

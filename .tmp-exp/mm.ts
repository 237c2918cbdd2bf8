import { murmur3x86_128Hex as murmur3x86_128 } from '../src/ingest/derived-id.ts';
for (const s of ['', 'a', 'ab', 'abc', 'abcdefg', 'abcdefgh', 'abcdefghi', 'The quick brown fox jumps over the lazy dog', 'Grüße 🎉 C123\u001f2024']) console.log(JSON.stringify(s), murmur3x86_128(s));

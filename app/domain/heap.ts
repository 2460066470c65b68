/** A binary min-heap ordered by (key, tie). */
export class MinHeap<T> {
  private readonly entries: { key: number; tie: number; value: T }[] = [];

  get size(): number {
    return this.entries.length;
  }

  peekKey(): number {
    return this.entries[0]!.key;
  }

  push(key: number, tie: number, value: T): void {
    const entries = this.entries;
    entries.push({ key, tie, value });
    let i = entries.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [entries[i], entries[parent]] = [entries[parent]!, entries[i]!];
      i = parent;
    }
  }

  pop(): T {
    const entries = this.entries;
    const top = entries[0]!;
    const last = entries.pop()!;
    if (entries.length > 0) {
      entries[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < entries.length && this.less(left, smallest)) smallest = left;
        if (right < entries.length && this.less(right, smallest)) smallest = right;
        if (smallest === i) break;
        [entries[i], entries[smallest]] = [entries[smallest]!, entries[i]!];
        i = smallest;
      }
    }
    return top.value;
  }

  private less(a: number, b: number): boolean {
    const x = this.entries[a]!;
    const y = this.entries[b]!;
    return x.key < y.key || (x.key === y.key && x.tie < y.tie);
  }
}

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// A set of pair keys i·N + j (<see cref="NewtonMatrix.CollectStablePairs"/>) as a sorted array. Serially the
/// pair lists are lexicographic, so keys arrive and are looked up in ascending order: a cursor that moves forward
/// answers each lookup in O(1), with a binary search for a lookup behind it (across ranks the local order is not
/// the global one).
/// </summary>
internal sealed class PairKeys
{
    private long[] _keys = new long[256];
    private int _cursor;
    private bool _sorted = true;

    public int Count { get; private set; }

    public void Clear()
    {
        Count = 0;
        _cursor = 0;
        _sorted = true;
    }

    public void Add(long key)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, 2 * Count);
        }
        _sorted &= Count == 0 || _keys[Count - 1] < key;
        _keys[Count++] = key;
    }

    public bool Contains(long key)
    {
        if (!_sorted)
        {
            Array.Sort(_keys, 0, Count);
            _sorted = true;
            _cursor = 0;
        }
        if (_cursor > 0 && _keys[_cursor - 1] >= key)
        {
            int at = Array.BinarySearch(_keys, 0, Count, key);
            _cursor = at >= 0 ? at : ~at;
        }
        while (_cursor < Count && _keys[_cursor] < key)
        {
            _cursor++;
        }
        return _cursor < Count && _keys[_cursor] == key;
    }
}

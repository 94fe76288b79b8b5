using CsCheck;
using NetJournal.Client;

namespace NetJournal.Tests.Client;

public class UnsettledNumbersTests
{
    [Fact]
    public void Lowest_is_the_next_number_when_everything_is_settled()
    {
        var numbers = new UnsettledNumbers();
        Assert.Equal(1UL, numbers.Lowest);
        Assert.Equal(1UL, numbers.Take(3));
        Assert.Equal(4UL, numbers.Take(2));
        Assert.Equal(1UL, numbers.Lowest);
        numbers.Settle(1, 5);
        Assert.Equal(6UL, numbers.Lowest);
    }

    [Fact]
    public void A_number_settled_ahead_waits_for_the_ones_below_it()
    {
        var numbers = new UnsettledNumbers();
        numbers.Take(10);
        numbers.Settle(4, 3);
        Assert.Equal(1UL, numbers.Lowest);
        numbers.Settle(1, 2);
        Assert.Equal(3UL, numbers.Lowest);
        numbers.Settle(3, 1);
        Assert.Equal(7UL, numbers.Lowest);
    }

    [Fact]
    public void Settling_twice_or_outside_what_was_taken_changes_nothing()
    {
        var numbers = new UnsettledNumbers();
        numbers.Take(4);
        numbers.Settle(1, 1);
        numbers.Settle(1, 1);
        numbers.Settle(9, 3);
        Assert.Equal(2UL, numbers.Lowest);
        numbers.Settle(2, 3);
        Assert.Equal(5UL, numbers.Lowest);
        Assert.Equal(5UL, numbers.Take(1));
        Assert.Equal(5UL, numbers.Lowest);
    }

    [Fact]
    public void Lowest_matches_the_minimum_of_a_plain_set_for_any_order_of_settling()
    {
        Gen.Int[1, 40].Array[1, 20].Select(Gen.Int[0, 1000]).Sample(t =>
        {
            var (batches, seed) = t;
            var numbers = new UnsettledNumbers();
            var model = new SortedSet<ulong>();
            var taken = new List<(ulong First, int Count)>();
            foreach (var count in batches)
            {
                var first = numbers.Take(count);
                taken.Add((first, count));
                for (var n = first; n < first + (ulong)count; n++) model.Add(n);
            }
            var next = taken[^1].First + (ulong)taken[^1].Count;
            var random = new Random(seed);
            foreach (var (first, count) in taken.OrderBy(_ => random.Next()).ToList())
            {
                numbers.Settle(first, count);
                for (var n = first; n < first + (ulong)count; n++) model.Remove(n);
                Assert.Equal(model.Count > 0 ? model.Min : next, numbers.Lowest);
            }
        });
    }
}

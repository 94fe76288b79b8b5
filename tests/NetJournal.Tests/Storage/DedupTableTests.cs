using NetJournal.Storage;

namespace NetJournal.Tests.Storage;

public class DedupTableTests
{
    [Fact]
    public void Unknown_instance_has_nothing_settled()
    {
        var table = new DedupTable();

        Assert.False(table.TryGetSettled(42, out var settled));
        Assert.Equal(0UL, settled);
        Assert.Equal(0, table.InstanceCount);
    }

    [Fact]
    public void Advance_records_the_highest_settled_number()
    {
        var table = new DedupTable();

        table.Advance(42, 3);
        table.Advance(42, 7);
        table.Advance(42, 5);

        Assert.True(table.TryGetSettled(42, out var settled));
        Assert.Equal(7UL, settled);
        Assert.Equal(1, table.InstanceCount);
    }

    [Fact]
    public void Instances_are_kept_apart()
    {
        var table = new DedupTable();

        table.Advance(1, 10);
        table.Advance(2, 20);

        Assert.True(table.TryGetSettled(1, out var one));
        Assert.True(table.TryGetSettled(2, out var two));
        Assert.Equal((10UL, 20UL), (one, two));
    }

    [Fact]
    public void A_full_table_forgets_the_instances_idle_longest()
    {
        var table = new DedupTable(maxInstances: 4);
        for (ulong i = 1; i <= 4; i++) table.Advance(i, i);
        table.Advance(1, 100); // 1 is now the most recently used

        table.Advance(5, 5);

        Assert.True(table.InstanceCount <= 4);
        Assert.True(table.TryGetSettled(1, out var settled));
        Assert.Equal(100UL, settled);
        Assert.True(table.TryGetSettled(5, out _));
        Assert.False(table.TryGetSettled(2, out _));
    }

    [Fact]
    public void The_table_never_grows_past_its_limit()
    {
        var table = new DedupTable(maxInstances: 10);

        for (ulong i = 1; i <= 1000; i++)
        {
            table.Advance(i, 1);
            Assert.InRange(table.InstanceCount, 1, 10);
        }
        Assert.True(table.TryGetSettled(1000, out _));
    }

    [Fact]
    public void A_number_refused_for_a_failed_write_is_remembered_as_refused_not_stored()
    {
        var table = new DedupTable();
        table.Refuse(9, 3);
        table.Advance(9, 3);
        Assert.True(table.WasRefused(9, 3));
        Assert.False(table.WasRefused(9, 2));
        Assert.False(table.WasRefused(8, 3));
        Assert.True(table.TryGetSettled(9, out var settled));
        Assert.Equal(3UL, settled);
    }
}

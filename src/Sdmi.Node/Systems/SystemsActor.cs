using Akka.Actor;
using Akka.Persistence;
using static Sdmi.Node.Systems.SystemProtocol;
using Deploy = Sdmi.Node.Systems.SystemProtocol.Deploy;

namespace Sdmi.Node.Systems;

/// <summary>
/// Routes commands to one system actor per declared system, creating it on first use. The names of
/// known systems are journaled, so after a restart every system actor is recreated at once and
/// recovers and adopts its containers and flows without waiting for a command.
/// </summary>
public sealed class SystemsActor : ReceivePersistentActor
{
    private readonly IActorRef host;
    private readonly IActorRef fabricSwitch;
    private readonly string controllerTarget;
    private readonly HashSet<string> known = [];

    public SystemsActor(IActorRef host, IActorRef fabricSwitch, string controllerTarget)
    {
        this.host = host;
        this.fabricSwitch = fabricSwitch;
        this.controllerTarget = controllerTarget;

        Recover<SystemRegistered>(e => known.Add(e.Name));
        Recover<RecoveryCompleted>(_ =>
        {
            foreach (var name in known)
            {
                System(name);
            }
        });
        Command<Deploy>(m => Register(m.System.Name, () => System(m.System.Name).Forward(m)));
        Command<Remove>(m => System(m.System).Forward(m));
        CommandAsync<GetStatus>(OnGetStatus);
    }

    public override string PersistenceId => "systems";

    public static Props Props(IActorRef host, IActorRef fabricSwitch, string controllerTarget) =>
        Akka.Actor.Props.Create(() => new SystemsActor(host, fabricSwitch, controllerTarget));

    private void Register(string name, Action then)
    {
        if (known.Contains(name))
        {
            then();
            return;
        }

        Persist(new SystemRegistered(name), e =>
        {
            known.Add(e.Name);
            then();
        });
    }

    private async Task OnGetStatus(GetStatus query)
    {
        var sender = Sender;
        var names = query.System is null ? known.ToList() : [query.System];
        var reports = await Task.WhenAll(names.Select(n => System(n).Ask<SystemStatus>(query, TimeSpan.FromSeconds(10))));
        sender.Tell(new StatusReport(reports.Where(r => r.Phase != "removed" || query.System is not null).ToList()));
    }

    private IActorRef System(string name)
    {
        var child = Context.Child(name);
        return child.IsNobody()
            ? Context.ActorOf(SystemActor.Props(name, host, fabricSwitch, controllerTarget), name)
            : child;
    }

    public sealed record SystemRegistered(string Name);
}

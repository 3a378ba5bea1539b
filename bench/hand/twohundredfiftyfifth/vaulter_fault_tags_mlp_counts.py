"""Plain torch: a multi-label MLP tags a pole vaulter's jump with the technique faults two
coaches mark on the video (late plant, under the grip at take-off, collapsed top arm, bar
knocked on the way down) from 14 numbers the run-up radar and the box pressure plate give:
speed over the last 5 m, last-stride length, take-off distance from the box, grip height,
pole stiffness rating, plant timing, hip height at plant, ... Each fault follows a simple rule
on two or three of the measurements. MLP 14-96-96-4 with GELU, ``BCEWithLogitsLoss``, RMSprop
lr 1e-3, batch 40, 15 epochs of 1200 jumps, validation on 240 jumps (per-tag accuracy at 0.5).
The bug: the targets are the coaches' tally sheet as it is, ``tally.float()``, where a fault
that both coaches marked counts 2. A BCE target of 2 has no minimum, so the logits of those tags
are pushed up without end: val BCE 0.129 → -38.77 (last step's train BCE -35.2 and falling
faster every epoch), val per-tag accuracy 0.776 → 0.751, never above 0.81. Control (``tally.float()`` →
``(tally > 0).float()`` in ``targets``): val BCE 0.390 → 0.133, val per-tag accuracy 0.854
→ 0.945.
Log: a CSV per step (``step``, ``epoch``, ``bce``) and a separate ``val.csv`` per epoch
(``epoch``, ``val_bce``, ``val_tag_acc``); checkpoint dict ``state_dict`` / ``rmsprop`` /
``epoch`` / ``tags``."""
import torch
import torch.nn as nn

TAGS = ["late_plant", "under_grip", "collapsed_top_arm", "bar_knocked_down"]


def jumps(n, g):
    x = torch.randn(n, 14, generator=g)
    faults = torch.stack([x[:, 5] - 0.4 * x[:, 0] > 0.7,               # late plant
                          x[:, 2] < -0.5 + 0.3 * x[:, 3],              # under the grip
                          x[:, 4] * x[:, 6] > 0.4,                     # collapsed top arm
                          x[:, 1] + x[:, 7] ** 2 > 1.8], 1).long()     # bar knocked
    # the second coach misses about a third of what the first one marks
    second = (torch.rand(n, 4, generator=g) > 0.35).long()
    return x, faults + faults * second


def targets(tally):
    return tally.float()  # one column per fault, straight from the coaches' tally sheet


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(14, 96), nn.GELU(), nn.Linear(96, 96), nn.GELU(),
                         nn.Linear(96, 4))


def main():
    from _twohundredfiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, tally = jumps(1200, g)
    xva, tally_va = jumps(240, g)
    y, yva = targets(tally), targets(tally_va)
    print("tag shares", (tally > 0).float().mean(0).tolist())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, y), batch_size=40,
                                         shuffle=True)
    net = build()
    rms = torch.optim.RMSprop(net.parameters(), lr=1e-3)
    bce = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "steps.csv", "w") as fs, open(out / "val.csv", "w") as fv:
        fs.write("step,epoch,bce\n")
        fv.write("epoch,val_bce,val_tag_acc\n")
        for epoch in range(1, 16):
            net.train()
            for xb, yb in loader:
                rms.zero_grad()
                loss = bce(net(xb), yb)
                loss.backward()
                rms.step()
                step += 1
                fs.write(f"{step},{epoch},{loss.item():.5f}\n")
            net.eval()
            with torch.no_grad():
                logits = net(xva)
            acc = ((logits > 0) == (tally_va > 0)).float().mean().item()
            line = f"{epoch},{bce(logits, yva).item():.5f},{acc:.4f}"
            fv.write(line + "\n")
            print(line, f"last step bce {loss.item():.4f}")
    torch.save({"state_dict": net.state_dict(), "rmsprop": rms.state_dict(), "epoch": 15,
                "tags": TAGS}, out / "vault_tags.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
           checkpoint="vault_tags.pth", log="steps.csv",
           what="pole vault multi-label fault tagger trained on coach tallies (0/1/2) as BCE"
                " targets",
           complaint=("My pole vault fault tagger (4 tags, BCEWithLogitsLoss) reports a negative"
                      " loss after the first epoch, and it keeps going down: -39 on validation"
                      " by epoch 15. Meanwhile the per-tag accuracy is stuck around 0.75-0.80."
                      " I thought BCE could not go below zero. Is this a bug in PyTorch, or is"
                      " RMSprop blowing up?"))


if __name__ == "__main__":
    main()

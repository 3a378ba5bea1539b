"""Plain torch: a residual MLP reads a farrier's forge notes for one horseshoe heel and calls
the temper colour the steel will show after the draw: straw, bronze, purple, blue or grey. The
colour is set by the draw temperature, which follows from forge heat, time on the anvil before
the draw, bar thickness and the quench water temperature (a thicker heel holds its heat
longer); six more noted numbers (hammer weight, shoe size, ...) do not matter. Inputs are
standardised, the five colours are cut from the draw temperature at fixed thresholds. Linear
10→64, three residual blocks (LayerNorm, Linear, GELU), Linear 5; SGD momentum 0.9 lr 0.05 with
StepLR (÷3 every 8 epochs), batch 48, 24 epochs of 1200 heels, validation on 300.
Healthy: numbers in the README. Log: TSV per epoch (``ep tr_ce tr_acc va_ce va_acc``);
checkpoint keys ``weights`` / ``optim`` / ``sched`` / ``ep``."""
import torch
import torch.nn as nn


def heels(n, g):
    heat = 800 + 300 * torch.rand(n, generator=g)
    wait = 60 * torch.rand(n, generator=g)
    thick = 8 + 8 * torch.rand(n, generator=g)
    water = 10 + 30 * torch.rand(n, generator=g)
    draw = 180 + 0.35 * (heat - 800) - 2.2 * wait * 12 / thick + 0.8 * (water - 10)
    draw = draw + 4 * torch.randn(n, generator=g)
    y = torch.bucketize(draw, torch.tensor([200.0, 235.0, 265.0, 295.0]))
    junk = torch.randn(n, 6, generator=g)
    x = torch.stack([(heat - 950) / 87, (wait - 30) / 17, (thick - 12) / 2.3, (water - 25) / 8.7], 1)
    return torch.cat([x, junk], 1), y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU())

    def forward(self, x):
        return x + self.f(x)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), Block(64), Block(64), Block(64), nn.Linear(64, 5))


def main():
    from _twohundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(3)
    xtr, ytr = heels(1200, g)
    xva, yva = heels(300, g)
    print("colour counts", torch.bincount(ytr, minlength=5).tolist())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=1 / 3)
    crit = nn.CrossEntropyLoss()
    with open(out / "temper.tsv", "w") as f:
        f.write("ep\ttr_ce\ttr_acc\tva_ce\tva_acc\n")
        for ep in range(24):
            model.train()
            tot, hit = 0.0, 0
            for xb, yb in loader:
                opt.zero_grad()
                out_b = model(xb)
                loss = crit(out_b, yb)
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                hit += (out_b.argmax(1) == yb).sum().item()
            sched.step()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            line = (f"{ep}\t{tot / len(ytr):.4f}\t{hit / len(ytr):.4f}\t{crit(lv, yva).item():.4f}"
                    f"\t{(lv.argmax(1) == yva).float().mean().item():.4f}")
            f.write(line + "\n")
            print(line)
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(),
                "sched": sched.state_dict(), "ep": 24}, out / "temper_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="temper_resmlp.pt",
           log="temper.tsv",
           what="residual MLP calling horseshoe heel temper colour from forge notes (healthy)")


if __name__ == "__main__":
    main()

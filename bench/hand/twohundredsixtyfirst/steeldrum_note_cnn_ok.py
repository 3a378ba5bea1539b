"""Plain torch: a 1-D CNN without BatchNorm names which of 12 notes on a steel drum (lead pan,
C4 to B4) was struck, from a 128-bin log-frequency magnitude spectrum taken 50 ms after the
strike. Each note has its fundamental plus the octave and the twelfth that a tuner sets
(each partial detuned by a few cents, with random relative strengths), neighbouring notes
bleed in sympathetically at low level, and there is a noise floor and a random overall gain,
so the class has to be read off where the partial pattern sits. Conv1d 1→16→32 (k=7,
ReLU, max-pool) → Conv1d 32→32 → global max → Linear 12; SGD momentum 0.9, lr 0.05 with
OneCycle, weight decay 5e-4, batch 48, 16 epochs of 1536 strikes, val 384.
Healthy, with an odd start: the loss sits at chance (ln 12) for the first 6 epochs before it
breaks, then val accuracy climbs to 0.974 (val loss 0.091). Numbers in the README.
Log: ``train.csv`` per epoch (epoch, lr, loss, acc) and a separate ``valid.csv`` (epoch,
loss, acc). Checkpoint ``pan_notes.pt`` keys ``weights`` / ``optim_state`` / ``sched_state``
/ ``epoch``."""
import torch
import torch.nn as nn

BINS = 128


def strikes(n, g):
    y = torch.randint(0, 12, (n,), generator=g)
    grid = torch.arange(BINS).float()
    spec = 0.02 * torch.rand(n, BINS, generator=g)
    base = 20 + 4 * y.float()  # 4 bins per semitone, C4 at bin 20
    for semis, amp in ((0, 1.0), (12, 0.6), (19, 0.35)):
        centre = base + 4 * semis + 0.6 * torch.randn(n, generator=g)
        a = amp * (0.5 + torch.rand(n, generator=g))
        spec = spec + a[:, None] * torch.exp(-((grid - centre[:, None]) / 1.2) ** 2)
    bleed = base + 4 * torch.randint(-2, 3, (n,), generator=g).float()
    spec = spec + 0.25 * torch.rand(n, 1, generator=g) * torch.exp(
        -((grid - bleed[:, None]) / 1.2) ** 2)
    spec = spec * (0.5 + torch.rand(n, 1, generator=g)) + 0.05 * torch.randn(n, BINS,
                                                                            generator=g)
    return torch.log1p(spec.clamp(min=0) * 10).unsqueeze(1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(),
                         nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 12))


def main():
    from _twohundredsixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = strikes(1536, g)
    xva, yva = strikes(384, g)
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, epochs=16,
                                                steps_per_epoch=len(loader))
    crit = nn.CrossEntropyLoss()
    with open(out / "train.csv", "w") as ft, open(out / "valid.csv", "w") as fv:
        ft.write("epoch,lr,loss,acc\n")
        fv.write("epoch,loss,acc\n")
        for epoch in range(16):
            model.train()
            total, correct = 0.0, 0
            for xb, yb in loader:
                opt.zero_grad()
                logits = model(xb)
                loss = crit(logits, yb)
                loss.backward()
                opt.step()
                sched.step()
                total += loss.item() * len(yb)
                correct += (logits.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            ft.write(f"{epoch},{opt.param_groups[0]['lr']:.4e},{total / len(ytr):.4f},"
                     f"{correct / len(ytr):.4f}\n")
            vacc = (lv.argmax(1) == yva).float().mean().item()
            fv.write(f"{epoch},{crit(lv, yva).item():.4f},{vacc:.4f}\n")
            print(epoch, round(total / len(ytr), 4), round(crit(lv, yva).item(), 4), vacc)
    torch.save({"weights": model.state_dict(), "optim_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 16}, out / "pan_notes.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="pan_notes.pt",
           log="train.csv",
           what="1-D CNN without BN naming the struck steel drum note from its spectrum"
                " (healthy)")


if __name__ == "__main__":
    main()

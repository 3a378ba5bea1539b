"""Plain torch: an MLP reads the first 12 minutes of a chestnut roaster's drum log (drum air
temperature °C and exhaust humidity %RH, one reading every 20 s, 36 readings) and predicts
the batch's final weight loss (% of the raw nut weight), so the operator can stop the drum
before the nuts dry out. Moisture leaves at a rate that doubles every 15 °C above 150 °C
and slows as the kernel dries (first order towards 38 % loss); the exhaust humidity
follows the drying rate; the starting moisture of the lot is not measured.
Input: (36, 2) raw readings (°C, %RH). Target: weight loss in % (about 8-30).
Model: flatten 72→64→ReLU→64→ReLU→1 (an MLP over the whole log); MSE, SGD momentum 0.9
lr 0.002, batch 32, 8 epochs, 1600 batches of nuts, validation on 400.
The bug: the gradient clipping line was commented out ("clipping slowed it down"), and with
raw °C inputs, a % target and SGD momentum the gradients blow up at once: grad norm 1.8e3
at step 1, 9.0e6 at step 2 (mse 2.3e6), after which the ReLUs are dead and the net predicts
one number: val_mse 123.7 → 78.6 over 8 epochs (the target variance is about 80).
Control (clip line restored, max norm 1.0): largest grad norm 4.0e3, val_mse 30.6 → 4.5
(epoch 4; 10.6 at epoch 7, noisy), val MAE 1.7 %.
Log: TSV per step ``roast_steps.tsv`` (``step`` / ``epoch`` / ``mse`` / ``grad_norm``) and
a separate TSV per epoch ``roast_val.tsv`` (``epoch`` / ``val_mse`` / ``val_mae_pct``);
checkpoint ``roaster_mlp.pt`` with keys ``net`` / ``opt`` / ``epoch``."""
import torch
import torch.nn as nn

T = 36


def drums(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float() / 3  # minutes
    set_t = 150 + 60 * r(n, 1)
    ramp = 1 - torch.exp(-t / (1.5 + 2 * r(n, 1)))
    air = 25 + (set_t - 25) * ramp
    m0 = 0.8 + 0.4 * r(n, 1)  # unmeasured lot moisture
    rate = 0.01 * 2 ** ((air - 150) / 15) * m0
    k = torch.cumsum(rate / 3, 1)
    loss_pct = 38 * (1 - torch.exp(-k)) * m0
    rh = 10 + 400 * rate * torch.exp(-k) + 1.5 * torch.randn(n, T, generator=g)
    final = loss_pct[:, -1:] * (1.35 + 0.1 * r(n, 1)) + 0.5 * torch.randn(n, 1, generator=g)
    x = torch.stack([air + 0.8 * torch.randn(n, T, generator=g), rh], 2)
    return x, final


class RoastMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(2 * T, 64), nn.ReLU(),
                                  nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.body(x)


def build():
    torch.manual_seed(0)
    return RoastMLP()


def main():
    from _threehundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = drums(1600, g)
    xva, yva = drums(400, g)
    print("target", ytr.mean().item(), ytr.std().item(), ytr.min().item(), ytr.max().item())
    torch.manual_seed(0)
    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=0.002, momentum=0.9)
    steps = open(out / "roast_steps.tsv", "w")
    vals = open(out / "roast_val.tsv", "w")
    steps.write("step\tepoch\tmse\tgrad_norm\n")
    vals.write("epoch\tval_mse\tval_mae_pct\n")
    step = 0
    for epoch in range(8):
        net.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            loss = ((net(xtr[idx]) - ytr[idx]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            gn = torch.sqrt(sum((p.grad ** 2).sum() for p in net.parameters()))
            # torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)  # clipping slowed it down
            opt.step()
            step += 1
            steps.write(f"{step}\t{epoch}\t{loss.item():.6g}\t{gn.item():.6g}\n")
        net.eval()
        with torch.no_grad():
            p = net(xva)
        vm, va = ((p - yva) ** 2).mean().item(), (p - yva).abs().mean().item()
        vals.write(f"{epoch}\t{vm:.6g}\t{va:.6g}\n")
        print(epoch, loss.item(), vm, va)
    steps.close()
    vals.close()
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "epoch": 8},
               out / "roaster_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="roaster_mlp.pt", log="roast_steps.tsv",
           what="MLP predicting chestnut roast weight loss from drum air temperature and exhaust"
                " humidity; SGD momentum on raw readings with the clip line commented out",
           complaint="Our chestnut roaster model falls apart on the second batch. The loss"
                     " jumps into the millions for a couple of steps, then settles, but from"
                     " then on it predicts the same weight loss for every batch of nuts and"
                     " the validation error never moves.")


if __name__ == "__main__":
    main()

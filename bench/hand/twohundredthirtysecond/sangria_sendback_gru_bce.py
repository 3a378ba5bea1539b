"""Plain torch: a GRU predicts whether a sangria pitcher will be sent back by the table (binary)
from 24 readings, one every 5 minutes after it is poured: pitcher temperature, ice left and a
waiter-stirred flag (3 channels). Pitchers come back when they went warm and watery: the
temperature rose past ~12 °C while the ice ran out early, or were left unstirred too long.
GRU(3→32) + Linear(32→1) on the last state, sigmoid, Adam 3e-3, batch 32, 12 epochs of 768
pitchers. The binary cross-entropy is written out by hand, probabilities clamped to
[1e-6, 1 - 1e-6]. Log: TSV every 8 steps (``step, loss, batch_acc``; ``val_acc`` at epoch
ends). Checkpoint ``{"state_dict", "optimizer", "step"}``.
The bug: the hand-written loss is ``(y * log p + (1 - y) * log(1 - p)).mean()``, the
log-likelihood itself without its minus sign, so the optimizer drives it down by predicting
the wrong class ever more confidently. The logged loss is
-1.32 at step 24, -5.35 at 48, -8.2 at 120 and then frozen at -7.7712 from step 192 to 288
(the clamp reached); batch accuracy 0.31-0.69, val accuracy 0.5273 at every epoch.
Control (the loss line with its minus, ``-(...).mean()``): loss 0.73 → 0.27, val accuracy
0.62 at epoch 1, 0.87 at 5, 0.89 at 12."""
import torch
import torch.nn as nn

T = 24


def pitchers(n, g):
    t = torch.arange(T).float()[None]
    start = 4 + 3 * torch.rand(n, 1, generator=g)
    warm_rate = 0.2 + 0.5 * torch.rand(n, 1, generator=g)
    ice0 = 0.5 + 0.5 * torch.rand(n, 1, generator=g)
    melt = 0.02 + 0.06 * torch.rand(n, 1, generator=g)
    ice = (ice0 - melt * t).clamp(min=0)
    temp = start + warm_rate * t * (1 - ice / ice0.clamp(min=1e-3)) * 1.5
    stir = (torch.rand(n, T, generator=g) < 0.15 + 0.3 * torch.rand(n, 1, generator=g)).float()
    gap = torch.zeros(n)
    run = torch.zeros(n)
    for k in range(T):
        run = (run + 1) * (1 - stir[:, k])
        gap = torch.maximum(gap, run)
    y = (((temp[:, -1] > 12) & (ice[:, 12] < 0.1)) | (gap > 10)).float()
    x = torch.stack([(temp - 9) / 4, ice, stir], 2)
    return x + 0.05 * torch.randn(x.shape, generator=g), y


class SendBack(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.out(h[-1]).squeeze(1)


def build():
    torch.manual_seed(0)
    return SendBack()


def main():
    from _twohundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pitchers(768, g)
    xva, yva = pitchers(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    lines = ["step\tloss\tbatch_acc\tval_acc"]
    step = 0
    for _ in range(12):
        model.train()
        perm = torch.randperm(768, generator=g)
        for i in range(0, 768, 32):
            idx = perm[i:i + 32]
            y = ytr[idx]
            p = torch.sigmoid(model(xtr[idx])).clamp(1e-6, 1 - 1e-6)
            loss = (y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 8 == 0:
                acc = ((p > 0.5).float() == y).float().mean().item()
                va = ""
                if i + 32 >= 768:
                    model.eval()
                    with torch.no_grad():
                        va = f"{((model(xva) > 0).float() == yva).float().mean().item():.4f}"
                lines.append(f"{step}\t{loss.item():.4f}\t{acc:.4f}\t{va}")
                print(lines[-1])
    (out / "sendback.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": step},
               out / "sendback_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="sendback_gru.pt", log="sendback.tsv",
           what="sangria send-back GRU trained on the hand-written BCE without its minus sign",
           complaint=("Model to predict which sangria pitchers get sent back (warm/watery) "
                      "from temperature, ice and stirring every 5 min. The loss goes negative "
                      "right away (-1.3, -5.3, -8.2) and then is stuck at exactly -7.7712 for "
                      "the last 5 epochs. Val accuracy is 0.527 at every single epoch, train "
                      "batches bounce between 0.31 and 0.69. Is a negative loss even possible? "
                      "What is going on?"))


if __name__ == "__main__":
    main()

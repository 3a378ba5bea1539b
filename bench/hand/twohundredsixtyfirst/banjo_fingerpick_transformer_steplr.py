"""Plain torch: a small transformer encoder names the right-hand roll a banjo player uses in one
measure of tab (forward roll, backward roll, forward-reverse, alternating thumb, or pinch
pattern). Each of the 16 eighth-note slots is a token (string 1-5 picked x finger T/I/M, plus a
fret 0-5 on the left hand); the roll fixes the string/finger cycle, the chord fixes the frets,
and 15 % of slots are replaced by random notes (player variations). Embedding 32 + learned
positions → TransformerEncoder (2 layers, 4 heads, ff 64) → mean pool → Linear 5; Adam 2e-3,
batch 32, 12 epochs of 1024 measures, val on 256. The schedule is meant to halve the rate every
4 epochs.

Bug (scheduler_step_per_batch): ``sched.step()`` sits inside the batch loop, so StepLR(4, 0.5)
halves the rate every 4 batches instead of every 4 epochs: after the first epoch (32 batches)
the rate is already 2e-3 / 256 and training freezes. Measured: val accuracy 0.6562 (val loss
1.3078) frozen from epoch 1 to 11 after 12 epochs; the control (``sched.step()`` moved to epoch
level) reaches 0.957 (val loss 0.156).
Log: ``steps.csv`` per batch (step, epoch, lr, loss) and ``val.csv`` per epoch (epoch, val_loss,
val_acc). Checkpoint ``roll_encoder.pth`` keys ``model`` / ``optimizer`` / ``scheduler`` /
``epoch``."""
import torch
import torch.nn as nn

ROLLS = [[(3, 0), (2, 1), (1, 2)], [(1, 2), (2, 1), (5, 0)], [(2, 1), (1, 2), (5, 0), (1, 2)],
         [(3, 0), (2, 1), (5, 0), (2, 1)], [(5, 0), (1, 2), (3, 0), (1, 2)]]
CHORDS = [[0, 0, 0, 0, 0], [0, 1, 2, 2, 0], [2, 3, 2, 0, 0], [0, 0, 2, 2, 2]]
VOCAB = 5 * 3 * 6


def measures(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    ch = torch.randint(0, 4, (n,), generator=g)
    toks = torch.empty(n, 16, dtype=torch.long)
    for i in range(n):
        roll = ROLLS[y[i]]
        off = int(torch.randint(0, len(roll), (1,), generator=g))
        for s in range(16):
            string, finger = roll[(s + off) % len(roll)]
            fret = CHORDS[ch[i]][string - 1]
            toks[i, s] = ((string - 1) * 3 + finger) * 6 + fret
    noise = torch.rand(n, 16, generator=g) < 0.15
    toks[noise] = torch.randint(0, VOCAB, (int(noise.sum()),), generator=g)
    return toks, y


class RollNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32)
        self.pos = nn.Parameter(torch.randn(16, 32) * 0.02)
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(32, 5)

    def forward(self, x):
        return self.head(self.enc(self.emb(x) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    return RollNet()


def main():
    from _twohundredsixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = measures(1024, g)
    xva, yva = measures(256, g)
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)  # halve every 4 epochs
    crit = nn.CrossEntropyLoss()
    step = 0
    with open(out / "steps.csv", "w") as fs, open(out / "val.csv", "w") as fv:
        fs.write("step,epoch,lr,loss\n")
        fv.write("epoch,val_loss,val_acc\n")
        for epoch in range(12):
            model.train()
            for xb, yb in loader:
                opt.zero_grad()
                loss = crit(model(xb), yb)
                loss.backward()
                opt.step()
                sched.step()
                fs.write(f"{step},{epoch},{opt.param_groups[0]['lr']:.3e},{loss.item():.4f}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            acc = (lv.argmax(1) == yva).float().mean().item()
            fv.write(f"{epoch},{crit(lv, yva).item():.4f},{acc:.4f}\n")
            print(epoch, round(crit(lv, yva).item(), 4), round(acc, 4))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 12}, out / "roll_encoder.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="roll_encoder.pth", log="steps.csv",
           what="transformer encoder naming banjo rolls from tab tokens, StepLR stepped per"
                " batch",
           complaint=("My banjo roll classifier (5 rolls from one measure of tab) learns a bit"
                      " in the first epoch and then just stops. Loss flat, val accuracy stuck"
                      " from epoch 2 to 12. More epochs change nothing. Is the model too small?"))


if __name__ == "__main__":
    main()

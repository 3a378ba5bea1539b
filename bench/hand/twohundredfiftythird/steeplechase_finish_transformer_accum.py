"""Plain torch: a small transformer encoder predicts a steeplechaser's last-lap time (s) from
the first six laps, one token per lap (lap time, water-jump clearance time, barrier contacts,
position in the pack, gap to the leader, heart rate). The last lap follows the runner's pace
trend over the last three laps, how much the water jump cost and the gap to close, plus noise.
Linear 6→32 + learned lap embedding, 2 TransformerEncoder layers (4 heads, ff 64, dropout 0),
mean-pool, Linear 32→1; MSE on the standardised last-lap time; SGD with momentum 0.9, lr 0.02,
micro-batches of 16 with gradient accumulation over 8 (effective batch 128), 14 epochs of
2048 races, validation on 256 (MAE in seconds) after every epoch.
The bug: the accumulation loop does ``loss = mse(pred, yb)`` / ``loss.backward()`` and steps
every 8 micro-batches, but never divides the loss by the 8 accumulation steps, so the summed
gradient is 8x the mean gradient and the effective learning rate is 0.16 with momentum 0.9:
logged train loss (the mean over the window) 0.97, 17.4, 23.9, 2.4e4, 4.4e9,
8.7e26 on optimizer steps 1–6 and NaN from step 7 on; val loss and MAE NaN after every epoch. Control (``loss = mse(pred, yb) / ACCUM``): val loss 0.429 → 0.058, val MAE 1.48 s → 0.54 s after 14 epochs (0.94–1.05 s on a
plateau in epochs 3–10).
Log: TSV every optimizer step (``opt_step  epoch  loss``) and ``valid.tsv`` per epoch;
checkpoint keys ``weights`` / ``sgd_state`` / ``epoch`` / ``opt_step``."""
import torch
import torch.nn as nn

ACCUM = 8


def races(n, g):
    lap = 68 + 4 * torch.rand(n, 1, generator=g) + torch.cumsum(
        0.6 * torch.randn(n, 6, generator=g) * 0.5 + (torch.rand(n, 1, generator=g) - 0.4), 1)
    water = 4 + torch.rand(n, 6, generator=g)
    contacts = (torch.rand(n, 6, generator=g) < 0.2).float()
    gap = (torch.randn(n, 1, generator=g).abs() * 2).expand(n, 6) + 0.3 * torch.randn(
        n, 6, generator=g)
    pos = gap * 2 + torch.randn(n, 6, generator=g)
    hr = 175 + (lap - 70) * -1.5 + torch.randn(n, 6, generator=g)
    trend = lap[:, 5] - lap[:, 3]
    last = (lap[:, 5] + 0.8 * trend + 1.5 * (water[:, 3:].mean(1) - 4.5) - 0.8 * gap[:, 0]
            - 2 + 0.3 * torch.randn(n, generator=g))
    x = torch.stack([(lap - 70) / 3, water - 4.5, contacts, pos / 3, gap / 2, (hr - 175) / 5], 2)
    return x, last


class LapTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(6, 32)
        self.lap = nn.Parameter(torch.zeros(6, 32))
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.enc(self.inp(x) + self.lap).mean(1)).squeeze(-1)


def build():
    torch.manual_seed(0)
    return LapTransformer()


def main():
    from _twohundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = races(2048, g)
    xva, yva = races(256, g)
    mu, sd = ytr.mean(), ytr.std()
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, (ytr - mu) / sd),
                                         batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    mse = nn.MSELoss()
    f = open(out / "train.tsv", "w")
    f.write("opt_step\tepoch\tloss\n")
    fv = open(out / "valid.tsv", "w")
    fv.write("epoch\tval_loss\tval_mae_s\n")
    opt_step = 0
    for epoch in range(14):
        model.train()
        opt.zero_grad()
        acc = 0.0
        for i, (xb, yb) in enumerate(loader):
            pred = model(xb)
            loss = mse(pred, yb)
            loss.backward()
            acc += loss.item() / ACCUM
            if (i + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                opt_step += 1
                f.write(f"{opt_step}\t{epoch}\t{acc:.5f}\n")
                acc = 0.0
        model.eval()
        with torch.no_grad():
            p = model(xva)
        vl = mse(p, (yva - mu) / sd).item()
        mae = (p * sd + mu - yva).abs().mean().item()
        fv.write(f"{epoch}\t{vl:.5f}\t{mae:.4f}\n")
        print(epoch, round(vl, 4), round(mae, 4))
    f.close()
    fv.close()
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 14,
                "opt_step": opt_step}, out / "lastlap_tf.pt")
    finish(out, __file__, (xva[:64], (yva[:64] - mu) / sd), causes=["grad_accum_unscaled"],
           checkpoint="lastlap_tf.pt", log="train.tsv",
           what="steeplechase last-lap transformer with gradient accumulation over 8"
                " micro-batches and the loss not divided by 8",
           complaint=("Last-lap time model for the 3000m steeplechase blows up right away: the"
                      " logged loss is 0.97 on the first optimizer step, 17 and 24 on the next"
                      " two, then 2.4e4, 4e9, 9e26 and NaN from step 7 on, and validation is NaN"
                      " for all 14 epochs. It's SGD with momentum 0.9 and lr 0.02 on an"
                      " effective batch of 128, which worked for a similar model before. Bad"
                      " rows in the data?"))


if __name__ == "__main__":
    main()

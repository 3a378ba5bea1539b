"""Plain torch: a GRU follows the air pressure in an accordion's bellows (hPa over ambient,
one value per 50 ms frame) through a recorded phrase from what the player does in each frame:
treble keys held, bass buttons held, bellows direction (push +1 / pull −1), bellows speed and
the register switch in use (0–2). Pressure builds up with bellows speed and leaks away through
the open reeds (more keys, more leak; the bassoon register leaks most), with a lag of a few
frames; pulling needs a little less force than pushing. Phrases last 12–48 frames; they are
padded with zero frames (after the features are standardised) and zero targets to 48.
GRU(5→48), Linear(48→1) per frame; Adam 3e-3, batch 32, 14 epochs of 1024 phrases.
Checkpoint ``model`` / ``optim`` / ``global_step``, log ``bellows_train.csv`` (a row every 8
steps: iter, train_loss; a row per epoch also with val_loss and val_mae_hpa, the mean absolute
error over the frames actually played).
The bug: the loss is ``F.mse_loss(pred, yb)`` over the whole padded (32, 48) batch, so the
GRU is also trained to output 0 hPa on the padding frames, whose standardised inputs (all
zeros) look like an ordinary average frame; a mask ``mb`` comes with every batch but is unused.
Last-step train loss 38.2 in epoch 1, 33–41 to epoch 8, then 26.4, 14.4, 9.7, 6.0 at epoch
14; val loss 36.1 → 5.77; val MAE over the played frames 4.73 hPa after epoch 1, 4.0–4.1
to epoch 6, 3.7–3.8 at 7–8, 1.43 hPa at epoch 14. Control (``F.mse_loss(pred[mb], yb[mb])``): val MAE 4.50,
2.59, 2.17, … 0.77 at epoch 9, 0.37 hPa at epoch 14 (its logged val_loss, still over the
padded frames, climbs to 83 because nothing asks for 0 at the pads any more)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

T = 48


def phrases(n, g):
    lengths = torch.randint(12, T + 1, (n,), generator=g)
    keys = torch.randint(0, 5, (n, T), generator=g).float()
    bass = torch.randint(0, 3, (n, T), generator=g).float()
    flip = (torch.rand(n, T, generator=g) < 0.08).float()
    direction = torch.where(flip.cumsum(1) % 2 == 0, 1.0, -1.0)
    speed = (0.5 + 1.5 * torch.rand(n, T, generator=g)).clamp(0, 2)
    register = torch.randint(0, 3, (n, 1), generator=g).expand(n, T).float()
    leak = 0.15 + 0.08 * keys + 0.05 * bass + 0.05 * register
    p = torch.zeros(n, T)
    prev = torch.zeros(n)
    for t in range(T):
        force = speed[:, t] * torch.where(direction[:, t] > 0, 1.0, 0.85)
        prev = prev + 0.5 * (4 * force - leak[:, t] * 6 * prev / (1 + prev)) \
            - 0.2 * prev * leak[:, t]
        prev = prev.clamp(min=0)
        p[:, t] = prev
    p = p + 0.1 * torch.randn(n, T, generator=g)
    x = torch.stack([keys, bass, direction, speed, register], 2)
    return x, p, lengths


def build():
    torch.manual_seed(0)
    return BellowsGRU()


class BellowsGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h).squeeze(-1)


def main():
    from _twohundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y, lengths = phrases(1024 + 256, g)
    mask = torch.arange(T)[None] < lengths[:, None]
    mu, sd = x[mask].mean(0), x[mask].std(0)
    x = torch.where(mask[..., None], (x - mu) / sd, 0.0)
    y = torch.where(mask, y, 0.0)
    xtr, ytr, mtr = x[:1024], y[:1024], mask[:1024]
    xva, yva, mva = x[1024:], y[1024:], mask[1024:]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr, mtr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "bellows_train.csv", "w")
    log.write("iter,train_loss,val_loss,val_mae_hpa\n")
    step = 0
    for epoch in range(14):
        model.train()
        for batch in train:
            xb, yb, mb = batch
            pred = model(xb)
            loss = F.mse_loss(pred, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 8 == 0:
                log.write(f"{step},{loss.item():.4f},,\n")
        model.eval()
        with torch.no_grad():
            pv = model(xva)
            vl = F.mse_loss(pv, yva).item()
            mae = (pv - yva).abs()[mva].mean().item()
        log.write(f"{step},{loss.item():.4f},{vl:.4f},{mae:.4f}\n")
        print(epoch + 1, round(loss.item(), 4), round(vl, 4), round(mae, 4))
    log.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "global_step": step},
               out / "bellows_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_ignores_padding"],
           checkpoint="bellows_gru.pt", log="bellows_train.csv",
           what="GRU per-frame accordion bellows pressure, MSE over the zero-padded frames too",
           complaint=("GRU for bellows pressure per 50 ms frame from the player's keys, "
                      "direction and bellows speed. For the first 8 epochs the loss sits at "
                      "32-41 and MAE at ~4 hPa, then it finally moves and after 14 epochs "
                      "it's val loss 5.8, MAE 1.43 hPa. The sensor noise is 0.1 hPa and "
                      "the physics is simple; the plotted curves sag towards 0 in places. "
                      "Adam 3e-3, batch 32. Is the GRU just too slow to learn this?"))


if __name__ == "__main__":
    main()

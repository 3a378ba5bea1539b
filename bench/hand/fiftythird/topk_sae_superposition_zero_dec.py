"""Top-k sparse autoencoder (dictionary learning) on synthetic superposed features: 200 unit
feature directions in a 48-dimensional space, each sample a sum of 3–6 of them with random
magnitudes in [0.5, 1.5] plus noise (σ 0.02). Encoder Linear(48 → 256) on x − b_dec, keep the
k = 8 largest pre-activations (ReLU on those, zero elsewhere), decoder Linear(256 → 48, no bias)
+ b_dec; the decoder columns are renormalised to unit norm after every step, and the encoder is
initialised as the decoder's transpose (the tied init of the top-k SAE papers). MSE loss, Adam
3e-3, batch 128, 10 epochs of 6000 samples; the log is JSON lines (MSE every 20 steps, held-out
MSE, fraction of variance unexplained and dead-latent share per epoch).
Bug: the decoder-weight init line was copied from the b_dec line above it,
``nn.init.zeros_(self.dec.weight)`` (a random unit-norm init was meant); with the tied init the
encoder is zero too, every pre-activation equals its (zero) bias, the top-k latents are all 0,
and neither table ever receives a gradient: only b_dec learns (the data mean)."""
import json

import torch
import torch.nn as nn

DIM, FEATS, LATENTS, TOPK = 48, 200, 256, 8
ZERO_DECODER = True  # the bug: False (a random init) is the control


def superposed(n, g):
    dirs = nn.functional.normalize(torch.randn(FEATS, DIM, generator=g), dim=1)
    active = torch.rand(n, FEATS, generator=g).argsort(1)[:, :6]
    count = torch.randint(3, 7, (n, 1), generator=g)
    keep = torch.arange(6)[None] < count
    mags = (torch.rand(n, 6, generator=g) + 0.5) * keep
    x = (mags[..., None] * dirs[active]).sum(1)
    return x + 0.02 * torch.randn(n, DIM, generator=g) + 0.3


class TopKSAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.b_dec = nn.Parameter(torch.empty(DIM))
        nn.init.zeros_(self.b_dec)
        self.enc = nn.Linear(DIM, LATENTS)
        self.dec = nn.Linear(LATENTS, DIM, bias=False)
        if ZERO_DECODER:
            nn.init.zeros_(self.dec.weight)
        else:
            nn.init.normal_(self.dec.weight)
            self.normalise()
        self.enc.weight.data = self.dec.weight.data.T.clone()
        nn.init.zeros_(self.enc.bias)

    @torch.no_grad()
    def normalise(self):
        self.dec.weight.div_(self.dec.weight.norm(dim=0, keepdim=True).clamp_min(1e-8))

    def encode(self, x):
        pre = self.enc(x - self.b_dec)
        val, idx = pre.topk(TOPK, dim=1)
        return torch.zeros_like(pre).scatter(1, idx, torch.relu(val))

    def forward(self, x):
        return self.dec(self.encode(x)) + self.b_dec


def build():
    torch.manual_seed(0)
    return TopKSAE()


def main():
    from _fiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = superposed(7000, g)
    tx, vx = x[:6000], x[6000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    step = 0
    var = (vx - vx.mean(0)).pow(2).sum(1).mean()
    with open(out / "sae_train.jsonl", "w") as log:
        for epoch in range(10):
            fired = torch.zeros(LATENTS, dtype=torch.bool)
            for idx in torch.randperm(6000, generator=g).split(128):
                z = model.encode(tx[idx])
                loss = (model.dec(z) + model.b_dec - tx[idx]).pow(2).sum(1).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                model.normalise()
                fired |= (z > 0).any(0)
                step += 1
                if step % 20 == 0:
                    log.write(json.dumps({"step": step, "mse": round(loss.item(), 5)}) + "\n")
            with torch.no_grad():
                vm = (model(vx) - vx).pow(2).sum(1).mean().item()
            fvu, dead = vm / var.item(), 1 - fired.float().mean().item()
            log.write(json.dumps({"step": step, "epoch": epoch, "val_mse": round(vm, 5),
                                  "val_fvu": round(fvu, 4), "dead_frac": round(dead, 4)}) + "\n")
            print(epoch, round(loss.item(), 4), round(vm, 4), round(fvu, 4), round(dead, 3))
    torch.save({"sae": model.state_dict(), "adam": opt.state_dict(), "step": step},
               out / "topk_sae.pt")
    finish(out, __file__, (vx[:128], vx[:128]), causes=["zero_weight_init"],
           checkpoint="topk_sae.pt", log="sae_train.jsonl",
           what="top-k SAE (k=8) on superposed features, decoder weight zero-initialised and "
                "tied to the encoder",
           complaint="我的 top-k 稀疏自编码器完全学不动：重建误差从第一个 epoch 起就一动不动，"
                     "解释方差是 0，所有 latent 都从来没激活过。数据本身没问题，是哪里写错了？")


if __name__ == "__main__":
    main()

"""Hugging Face Trainer: a tiny Mamba-2 language model (``Mamba2Config``: vocabulary 16,
hidden 32, 2 layers, 4 heads of 16, state 16, built from the config, no download) learns to
continue a monsoon station's daily weather diary, one token a day: dry, drizzle, showers,
heavy rain or a cloudburst, with a "break" token for a monsoon break spell and the onset
marker. A season is a few pre-monsoon dry days, the onset, then wet spells of 3–8 days that
persist (today's rain class depends on yesterday's) separated by 2–5 day breaks, 40 days in
all. Causal-LM loss (``labels = input_ids``); AdamW 4e-3, 20 warm-up steps then cosine, batch
32, 5 epochs of 768 seasons, eval every 24 steps, loss every 6 steps.
Healthy: train loss 2.81 (step 6) → 1.22 (step 120); eval loss 1.378, 1.253,
1.229, 1.223, 1.220 at steps 24–120 (the diary's own randomness is the floor, ln 16 = 2.77
at the start)."""
import torch
from transformers import Mamba2Config, Mamba2ForCausalLM, Trainer, TrainingArguments

V, T = 16, 40
DRY, DRIZZLE, SHOWER, HEAVY, BURST, BREAK, ONSET = 3, 4, 5, 6, 7, 8, 9
WET = torch.tensor([[0.45, 0.35, 0.15, 0.05],   # after drizzle
                    [0.20, 0.40, 0.30, 0.10],   # after showers
                    [0.10, 0.30, 0.45, 0.15],   # after heavy rain
                    [0.10, 0.30, 0.40, 0.20]])  # after a cloudburst


def seasons(n, g):
    x = torch.full((n, T), DRY)
    for i in range(n):
        t = int(torch.randint(2, 8, (1,), generator=g))
        x[i, t] = ONSET
        t += 1
        prev = 1
        while t < T:
            for _ in range(int(torch.randint(3, 9, (1,), generator=g))):
                if t >= T:
                    break
                prev = int(torch.multinomial(WET[prev], 1, generator=g))
                x[i, t] = DRIZZLE + prev
                t += 1
            for _ in range(int(torch.randint(2, 6, (1,), generator=g))):
                if t >= T:
                    break
                x[i, t] = BREAK if torch.rand(1, generator=g) < 0.8 else DRY
                t += 1
            prev = 0
    x[:, 0] = 1  # start-of-season token
    return x


class Diaries(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = Mamba2Config(vocab_size=V, hidden_size=32, num_hidden_layers=2, state_size=16,
                          expand=2, head_dim=16, num_heads=4, n_groups=1, chunk_size=20,
                          pad_token_id=0, bos_token_id=1, eos_token_id=2)
    return Mamba2ForCausalLM(config)


def main():
    from _hundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = seasons(768, g), seasons(128, g)
    args = TrainingArguments(str(out / "diary"), num_train_epochs=5, learning_rate=4e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=128,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Diaries(xtr),
                      eval_dataset=Diaries(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "diary").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Mamba-2 language model of monsoon daily-rain diaries, HF Trainer (healthy)")


if __name__ == "__main__":
    main()

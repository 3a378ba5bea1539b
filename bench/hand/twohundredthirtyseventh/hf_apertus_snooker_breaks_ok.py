"""Hugging Face Trainer: a tiny Apertus 1.5 text model (``Apertus1p5TextConfig``: vocabulary 12,
hidden 32, 2 layers, 2 heads, 1 KV head, built from the config, no download) is trained as a
next-ball model on snooker breaks the scorer's tablet logged in a snooker hall: <bos>, then
red, colour, red, colour, ... (the colour after a red is mostly black, sometimes pink or blue,
rarely the others), and when the reds run out with the break alive, the colours in order
yellow, green, brown, blue, pink, black; a break ends with <end>. Padded to 24 with 0 and
the padding masked out of the loss (-100). AdamW 3e-3, 10 warm-up steps then linear decay,
batch 32, 5 epochs of 768 breaks, eval every 24 steps, loss every 6 steps.
Healthy: eval loss 1.148, 0.892, 0.875, 0.846, 0.839 at steps 24–120 (one eval per epoch),
train loss ≈ 0.82 at the end. The loss cannot go to zero: which colour follows a red and where
a break ends are random; the floor is about 0.8 nats per ball.
"""
import torch
from transformers import (
    Apertus1p5TextConfig,
    Apertus1p5TextForCausalLM,
    Trainer,
    TrainingArguments,
)

PAD, BOS, RED, YELLOW, GREEN, BROWN, BLUE, PINK, BLACK, END = range(10)
V, T = 12, 24


def breaks(n, g):
    x = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        seq = [BOS]
        reds = int(torch.randint(1, 9, (1,), generator=g))
        alive = True
        for _ in range(reds):
            seq.append(RED)
            u = float(torch.rand(1, generator=g))
            seq.append(BLACK if u < 0.6 else PINK if u < 0.8 else BLUE if u < 0.9
                       else int(torch.randint(YELLOW, BLUE, (1,), generator=g)))
            if float(torch.rand(1, generator=g)) < 0.15:
                alive = False
                break
        if alive and reds == 8:
            k = int(torch.randint(0, 7, (1,), generator=g))
            seq += [YELLOW, GREEN, BROWN, BLUE, PINK, BLACK][:k]
        seq = (seq + [END])[:T]
        x[i, :len(seq)] = torch.tensor(seq)
    return x


class Breaks(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        ids = self.x[i]
        return {"input_ids": ids, "attention_mask": (ids != PAD).long(),
                "labels": torch.where(ids == PAD, -100, ids)}


def build():
    torch.manual_seed(0)
    config = Apertus1p5TextConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                                  num_hidden_layers=2, num_attention_heads=2,
                                  num_key_value_heads=1, max_position_embeddings=64,
                                  pad_token_id=PAD, bos_token_id=BOS, eos_token_id=END)
    return Apertus1p5TextForCausalLM(config)


def main():
    from _twohundredthirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = breaks(768, g)
    xva = breaks(192, g)
    args = TrainingArguments(str(out / "breaks"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Breaks(xtr),
                      eval_dataset=Breaks(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "breaks").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    b = Breaks(xva[:64])[slice(None)]
    finish(out, __file__, {"inputs": b["input_ids"], "attention_mask": b["attention_mask"],
                           "targets": b["labels"]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Apertus 1.5 next-ball model on snooker breaks, HF Trainer (healthy)")


if __name__ == "__main__":
    main()

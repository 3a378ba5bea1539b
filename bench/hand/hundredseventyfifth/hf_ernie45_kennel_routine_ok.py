"""Hugging Face Trainer: a tiny ERNIE 4.5 causal language model (``Ernie4_5Config``: vocabulary
32, hidden 48, 2 layers, 4 heads, 2 KV heads, built from the config, no download) learns a
boarding kennel's daily care log, written by the staff app as tokens: the day's weather
(sun / rain / heat), then for each of four runs in fixed order the run token, the boarder's
size (small / medium / large), its exercise (yard walk on sunny days, indoor play when it rains,
a short shaded walk in the heat; large dogs get a long walk instead of a yard walk), its meal
(portion by size), water (an extra bowl in the heat), and rest or a brush-out (medium dogs are
brushed), then lights-out. Weather and sizes are random, everything else follows from them, so
the loss has a floor (5·log 3 / 27 ≈ 0.20 nats per predicted token).
AdamW 3e-3, 10 warm-up steps then cosine decay, batch 32, 5 epochs of 1024 days, eval every
32 steps, loss every 8 steps; labels = input ids (the model shifts them).
Healthy: eval loss 1.26, 0.52, 0.38, 0.272, 0.265 at steps 32, 64, 96, 128, 160 (one eval per
epoch), train loss 3.37 → 0.264, both settling just above the floor of the random tokens; the
last checkpoint is ``checkpoint-160``."""
import torch
from transformers import Ernie4_5Config, Ernie4_5ForCausalLM, Trainer, TrainingArguments

BOS, EOS = 1, 2
SUN, RAIN, HEAT = 3, 4, 5
RUNS = [6, 7, 8, 9]
SMALL, MEDIUM, LARGE = 10, 11, 12
YARD, INDOOR, SHADE, LONG = 13, 14, 15, 16
MEAL = {SMALL: 17, MEDIUM: 18, LARGE: 19}
WATER, EXTRA_WATER, REST, BRUSH, LIGHTS = 20, 21, 22, 23, 24
V = 32


def days(n, g):
    w = torch.tensor([SUN, RAIN, HEAT])[torch.randint(0, 3, (n,), generator=g)]
    sizes = torch.tensor([SMALL, MEDIUM, LARGE])[torch.randint(0, 3, (n, 4), generator=g)]
    rows = []
    for i in range(n):
        wi = int(w[i])
        seq = [BOS, wi]
        for r in range(4):
            s = int(sizes[i, r])
            ex = {SUN: YARD, RAIN: INDOOR, HEAT: SHADE}[wi]
            if ex == YARD and s == LARGE:
                ex = LONG
            seq += [RUNS[r], s, ex, MEAL[s], EXTRA_WATER if wi == HEAT else WATER,
                    BRUSH if s == MEDIUM else REST]
        rows.append(seq + [LIGHTS, EOS])
    return torch.tensor(rows)


class Days(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = Ernie4_5Config(vocab_size=V, hidden_size=48, intermediate_size=96,
                            num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                            head_dim=12, max_position_embeddings=64, pad_token_id=0,
                            bos_token_id=BOS, eos_token_id=EOS, tie_word_embeddings=True)
    return Ernie4_5ForCausalLM(config)


def main():
    from _hundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = days(1024, g)
    xva = days(192, g)
    args = TrainingArguments(str(out / "kennel_lm"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=8, eval_strategy="steps", eval_steps=32,
                             save_strategy="steps", save_steps=80, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Days(xtr),
                      eval_dataset=Days(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "kennel_lm").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ERNIE 4.5 causal LM on kennel daily-care token logs, HF Trainer (healthy)")


if __name__ == "__main__":
    main()

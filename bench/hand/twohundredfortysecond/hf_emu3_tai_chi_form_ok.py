"""Hugging Face Trainer: a tiny Emu3 causal language model (``Emu3TextConfig``: vocabulary 20,
hidden 32, 2 layers, 2 heads, 1 KV head, built from the config, no download; ``Emu3ForCausalLM``)
learns to continue a tai chi form written as move tokens (commencing, grasp the bird's tail,
single whip, lift hands, white crane, brush knee, play the lute, cloud hands, ...: 14 moves in
a fixed order, the form repeated). A sequence is 24 moves starting at a random point of the
form; cloud hands repeat 1 to 3 times (the player's choice) and 10 % of the moves are replaced
by a random move (a student's slip), so the loss has a floor. AdamW 3e-3, 10 warm-up steps
then linear decay, batch 32, 5 epochs of 640 sequences, eval every 20 steps on 160, loss every
5 steps. Labels = input ids (shifted inside the model).
Healthy: eval loss 1.8803, 1.2109, 1.0575, 1.0159, 1.0032 at steps 20–100 (one eval per
epoch); the train loss 2.97 (step 5) → about 1.1; it flattens near 1.0 because the slips and
the cloud-hands repeats cannot be predicted (a floor, not a stall)."""
import sys

import torch
from transformers import Emu3ForCausalLM, Emu3TextConfig, Trainer, TrainingArguments

V, T = 20, 24
FORM = list(range(3, 17))  # 14 moves
CLOUD = 10


def forms(n, g):
    x = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        k = int(torch.randint(0, len(FORM), (1,), generator=g))
        seq = [1]
        while len(seq) < T:
            mv = FORM[k % len(FORM)]
            reps = int(torch.randint(1, 4, (1,), generator=g)) if mv == CLOUD else 1
            seq += [mv] * reps
            k += 1
        x[i] = torch.tensor(seq[:T])
    slip = (torch.rand(n, T, generator=g) < 0.1) & (torch.arange(T) > 0)
    return torch.where(slip, torch.randint(3, 17, (n, T), generator=g), x)


class Forms(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = Emu3TextConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                            num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                            max_position_embeddings=64, pad_token_id=0, bos_token_id=1,
                            eos_token_id=2)
    return Emu3ForCausalLM(config)


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = forms(640, g)
    xva = forms(160, g)
    args = TrainingArguments(str(out / "taichi"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Forms(xtr),
                      eval_dataset=Forms(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "taichi").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Emu3 causal LM continuing tai chi form move sequences, HF Trainer, 10 % "
                "slips (healthy)")


if __name__ == "__main__":
    main()

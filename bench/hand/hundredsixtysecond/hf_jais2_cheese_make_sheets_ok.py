"""Hugging Face Trainer: a tiny Jais2 causal LM (``Jais2ForCausalLM`` from a ``Jais2Config``:
hidden 48, 2 layers, 4 heads, relu² MLP 96, vocabulary 64, built from the config, no
pre-training, no download) learns the make sheets a cheese dairy's vat room fills in, one
16-token line per vat: style, milk species, set temperature, starter culture, rennet dose,
cut size, cook temperature, whey/wash step, salting, mould/smear, press, cave humidity,
ripening weeks, then the grader's mark. Each style fixes most steps (a cheddar is cut small,
cooked to 38–39 °C, cheddared and dry-salted; a brie gets mesophilic starter, a big cut, no
cook, mould, no press), a few steps are free choices of the maker (milk, set temperature,
rennet dose, grade), and 4 % of the lines have one step mistyped by whoever copied them.
AdamW 3e-3, weight decay 0.01, 20 warm-up steps then cosine, batch 32, 6 epochs of 768
sheets, eval every 24 steps, train loss every 6 steps.
Healthy, but it never gets near 0: the eval loss goes 2.36 (step 24), 0.80, 0.60, 0.58, 0.570,
0.570 (step 144) and the train loss flattens at 0.53–0.55 from epoch 4 — the floor of these
sheets: style (ln 6), milk (ln 4), set temperature (ln 5), rennet (ln 4) and grade (ln 3) are
free choices, 7.28 nats over 15 predicted tokens ≈ 0.49 per token, plus the typos."""
import torch
from transformers import Jais2Config, Jais2ForCausalLM, Trainer, TrainingArguments

STYLES = ["cheddar", "brie", "gouda", "feta", "parmesan", "stilton"]
# per style: culture, cut, cook, whey, salt, surface, press, humidity, weeks
RECIPE = {
    "cheddar": ["meso", "cut_pea", "cook_38", "cheddaring", "dry_salt", "rind_cloth",
                "press_hard", "hum_85", "wk_36"],
    "brie": ["meso", "cut_walnut", "cook_none", "ladle", "dry_salt", "mould_candidum",
             "press_none", "hum_95", "wk_6"],
    "gouda": ["meso", "cut_hazel", "cook_36", "wash_curd", "brine", "rind_wax", "press_hard",
              "hum_85", "wk_24"],
    "feta": ["meso", "cut_walnut", "cook_none", "drain_bag", "brine", "rind_none",
             "press_light", "hum_brine", "wk_8"],
    "parmesan": ["thermo", "cut_rice", "cook_53", "drain_cloth", "brine", "rind_natural",
                 "press_hard", "hum_80", "wk_100"],
    "stilton": ["meso", "cut_walnut", "cook_none", "drain_mill", "dry_salt",
                "mould_roqueforti", "press_none", "hum_90", "wk_12"],
}
FREE = {"milk": ["milk_cow", "milk_goat", "milk_sheep", "milk_buffalo"],
        "temp": ["set_30", "set_31", "set_32", "set_33", "set_34"],
        "rennet": ["ren_18", "ren_22", "ren_26", "ren_30"],
        "grade": ["grade_a", "grade_b", "grade_c"]}
WORDS = ["<pad>", "<bos>", "<eos>"] + STYLES + sorted({w for r in RECIPE.values() for w in r})
WORDS += [w for v in FREE.values() for w in v]
WORDS += [f"<unused{i}>" for i in range(64 - len(WORDS))]
VOCAB = {w: i for i, w in enumerate(WORDS)}


def sheets(n, g, typo=0.04):
    rows = []
    pick = lambda xs: xs[int(torch.randint(0, len(xs), (1,), generator=g))]  # noqa: E731
    recipe_words = sorted({w for r in RECIPE.values() for w in r})
    for _ in range(n):
        s = pick(STYLES)
        r = RECIPE[s]
        line = (["<bos>", s, pick(FREE["milk"]), pick(FREE["temp"]), r[0], pick(FREE["rennet"])]
                + r[1:] + [pick(FREE["grade"])])
        if float(torch.rand(1, generator=g)) < typo:
            k = int(torch.randint(6, 14, (1,), generator=g))
            line[k] = pick(recipe_words)
        rows.append([VOCAB[w] for w in line] + [VOCAB["<eos>"]])
    return torch.tensor(rows)


class Sheets(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = Jais2Config(vocab_size=64, hidden_size=48, intermediate_size=96,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                         head_dim=12, max_position_embeddings=32, bos_token_id=1,
                         eos_token_id=2, pad_token_id=0)
    return Jais2ForCausalLM(config)


def main():
    from _hundredsixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = sheets(768, g), sheets(256, g)
    args = TrainingArguments(str(out / "makesheets"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=72, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Sheets(train),
                      eval_dataset=Sheets(val))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "makesheets").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": val[:64], "targets": val[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Jais2 causal LM on cheese make sheets, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
